package dev.entrapbx.simulator.identity;

import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.Tenant;
import dev.entrapbx.simulator.model.User;
import java.util.Optional;

/**
 * The login form's answer checked as Entra checks it: a known account, its password, enabled, and of
 * a tenant the endpoint admits; either the signed-in user with its tenant, or the AADSTS text the
 * form shows again.
 */
record SignInCheck(User user, Tenant tenant, String error) {

    static SignInCheck of(Directory directory, TenantScope scope, AppRegistration app, String login, String password) {
        Optional<User> user = directory.findUserByUpn(login);
        if (user.isEmpty()) {
            return failed(AadErrors.unknownUser(login, scope.displayName()));
        }
        User u = user.get();
        if (u.password() == null || !u.password().equals(password)) {
            return failed(AadErrors.badPassword());
        }
        if (!u.accountEnabled()) {
            return failed(AadErrors.userDisabled());
        }
        Tenant tenant = directory.tenant(u.upnDomain()).orElseThrow();
        if (!scope.admitsUsersOf(tenant.id())) {
            return failed(AadErrors.userOfOtherTenant(login, tenant.id(), scope.displayName(), app.appId(), app.displayName()));
        }
        return new SignInCheck(u, tenant, null);
    }

    private static SignInCheck failed(AadError e) {
        return new SignInCheck(null, null, e.aadstsMessage());
    }

    boolean ok() {
        return error == null;
    }
}
