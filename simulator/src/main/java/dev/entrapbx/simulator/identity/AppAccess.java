package dev.entrapbx.simulator.identity;

import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.model.AppRegistration;

/** Whether a client may be used through a given tenant endpoint (single- vs multi-tenant apps). */
final class AppAccess {
    private AppAccess() { }

    static AppRegistration require(Directory directory, TenantScope scope, String clientId) {
        AppRegistration app = directory.app(clientId).orElseThrow(() ->
                AadErrors.appNotFound(clientId, scope.displayName()));
        switch (scope.kind()) {
            case TENANT -> {
                if (!app.availableIn(scope.tenant().id())) {
                    throw AadErrors.appNotFound(clientId, scope.displayName());
                }
            }
            case ORGANIZATIONS, COMMON -> {
                if (!app.isMultiTenant()) {
                    throw AadErrors.notMultiTenant(app.appId(), app.displayName());
                }
            }
            case CONSUMERS -> throw AadErrors.consumersNotAllowed(app.appId(), app.displayName());
            default -> throw new IllegalStateException();
        }
        return app;
    }
}
