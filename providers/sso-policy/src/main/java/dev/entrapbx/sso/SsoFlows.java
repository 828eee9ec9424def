package dev.entrapbx.sso;

import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The ready-made flows, added to every realm when it is created or imported (and on demand through
 * {@code POST /admin/realms/{realm}/sso-policy/flows}); they are not built-in, so admins may copy
 * or edit them like any flow.
 * <pre>
 * entra-pbx browser                       (bind as Browser flow)
 *   Cookie                                 alternative
 *   Identity Provider Redirector           alternative   (kc_idp_hint)
 *   entra-pbx browser forms                alternative
 *     Email first (entra-pbx SSO)          required
 *     Password (entra-pbx SSO gate)        required
 *     entra-pbx browser conditional OTP    conditional
 *       Condition - user configured        required
 *       OTP Form                           required
 * entra-pbx direct grant                  (bind as Direct grant flow)
 *   Username Validation                    required
 *   SSO password gate (entra-pbx)          required
 *   Password                               required
 *   entra-pbx direct grant conditional OTP conditional
 *     Condition - user configured          required
 *     OTP                                  required
 * </pre>
 * A realm whose attribute {@value #BIND_ATTRIBUTE} is {@code true} when it is created (the partner
 * realm template sets it) gets them bound as its browser and direct-grant flows.
 */
public final class SsoFlows {

    public static final String BROWSER = "entra-pbx browser";
    public static final String DIRECT_GRANT = "entra-pbx direct grant";
    public static final String BIND_ATTRIBUTE = "entrapbx.sso.bindFlows";
    private static final Logger LOG = Logger.getLogger(SsoFlows.class);

    private SsoFlows() {
    }

    /** Adds the flows that are missing; binds them when the realm asks for it. Returns the aliases added. */
    public static List<String> install(KeycloakSession session, RealmModel realm) {
        List<String> added = new ArrayList<>();
        if (realm.getFlowByAlias(BROWSER) == null) {
            browser(realm);
            added.add(BROWSER);
        }
        if (realm.getFlowByAlias(DIRECT_GRANT) == null) {
            directGrant(realm);
            added.add(DIRECT_GRANT);
        }
        if (Boolean.parseBoolean(realm.getAttribute(BIND_ATTRIBUTE))) {
            realm.setBrowserFlow(realm.getFlowByAlias(BROWSER));
            realm.setDirectGrantFlow(realm.getFlowByAlias(DIRECT_GRANT));
            realm.removeAttribute(BIND_ATTRIBUTE); // done once; later changes of the binding are the admin's
        }
        if (!added.isEmpty()) {
            LOG.debugf("Realm %s: added login flows %s", realm.getName(), added);
        }
        return added;
    }

    private static void browser(RealmModel realm) {
        AuthenticationFlowModel top = flow(realm, BROWSER, "Email first: SSO users go to Microsoft, everyone else gets the password step "
                + "(entra-pbx SSO policies).", true);
        step(realm, top, "auth-cookie", Requirement.ALTERNATIVE, 10);
        step(realm, top, "identity-provider-redirector", Requirement.ALTERNATIVE, 20);
        AuthenticationFlowModel forms = subflow(realm, top, BROWSER + " forms", "Email, then password unless SSO applies.",
                Requirement.ALTERNATIVE, 30);
        step(realm, forms, EmailFirstAuthenticatorFactory.PROVIDER_ID, Requirement.REQUIRED, 10);
        step(realm, forms, SsoPasswordAuthenticatorFactory.PROVIDER_ID, Requirement.REQUIRED, 20);
        AuthenticationFlowModel otp = subflow(realm, forms, BROWSER + " conditional OTP", "OTP for users who set one up.",
                Requirement.CONDITIONAL, 30);
        step(realm, otp, "conditional-user-configured", Requirement.REQUIRED, 10);
        step(realm, otp, "auth-otp-form", Requirement.REQUIRED, 20);
    }

    private static void directGrant(RealmModel realm) {
        AuthenticationFlowModel top = flow(realm, DIRECT_GRANT, "Direct grant with the entra-pbx SSO password gate.", true);
        step(realm, top, "direct-grant-validate-username", Requirement.REQUIRED, 10);
        step(realm, top, SsoDirectGrantGate.PROVIDER_ID, Requirement.REQUIRED, 20);
        step(realm, top, "direct-grant-validate-password", Requirement.REQUIRED, 30);
        AuthenticationFlowModel otp = subflow(realm, top, DIRECT_GRANT + " conditional OTP", "OTP for users who set one up.",
                Requirement.CONDITIONAL, 40);
        step(realm, otp, "conditional-user-configured", Requirement.REQUIRED, 10);
        step(realm, otp, "direct-grant-validate-otp", Requirement.REQUIRED, 20);
    }

    private static AuthenticationFlowModel flow(RealmModel realm, String alias, String description, boolean topLevel) {
        AuthenticationFlowModel f = new AuthenticationFlowModel();
        f.setAlias(alias);
        f.setDescription(description);
        f.setProviderId("basic-flow");
        f.setTopLevel(topLevel);
        f.setBuiltIn(false);
        return realm.addAuthenticationFlow(f);
    }

    private static AuthenticationFlowModel subflow(RealmModel realm, AuthenticationFlowModel parent, String alias, String description,
                                                   Requirement requirement, int priority) {
        AuthenticationFlowModel sub = flow(realm, alias, description, false);
        AuthenticationExecutionModel e = new AuthenticationExecutionModel();
        e.setParentFlow(parent.getId());
        e.setFlowId(sub.getId());
        e.setAuthenticatorFlow(true);
        e.setRequirement(requirement);
        e.setPriority(priority);
        realm.addAuthenticatorExecution(e);
        return sub;
    }

    private static void step(RealmModel realm, AuthenticationFlowModel parent, String authenticator, Requirement requirement, int priority) {
        AuthenticationExecutionModel e = new AuthenticationExecutionModel();
        e.setParentFlow(parent.getId());
        e.setAuthenticator(authenticator);
        e.setAuthenticatorFlow(false);
        e.setRequirement(requirement);
        e.setPriority(priority);
        realm.addAuthenticatorExecution(e);
    }
}
