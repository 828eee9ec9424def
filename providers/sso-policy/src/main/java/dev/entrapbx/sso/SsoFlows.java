package dev.entrapbx.sso;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.AuthenticatorConfigModel;
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
 * entra-pbx reset credentials             (bind as Reset credentials flow)
 *   a copy of Keycloak's "reset credentials" with "SSO reset gate (entra-pbx)" after Choose User and
 *   "Reset Password (entra-pbx SSO gate)" (required action "Update Password (entra-pbx SSO gate)",
 *   registered in the realm) in place of Reset Password
 * entra-pbx first broker login            (bind as First broker login flow)
 *   a copy of Keycloak's "first broker login" whose re-authentication password step is
 *   "Re-authentication password (entra-pbx SSO gate)"
 * </pre>
 * The two copies are made from the realm's own built-in flows, so they keep whatever this
 * Keycloak version and its features put there. A realm whose attribute {@value #BIND_ATTRIBUTE} is
 * {@code true} when it is created (both realm exports set it) gets all four bound; identity
 * providers without a first-login flow of their own then use the realm's.
 */
public final class SsoFlows {

    public static final String BROWSER = "entra-pbx browser";
    public static final String DIRECT_GRANT = "entra-pbx direct grant";
    public static final String RESET_CREDENTIALS = "entra-pbx reset credentials";
    public static final String FIRST_BROKER_LOGIN = "entra-pbx first broker login";
    /** Keycloak's built-in flows the two copies are made from (DefaultAuthenticationFlows). */
    static final String KEYCLOAK_RESET_CREDENTIALS = "reset credentials";
    static final String KEYCLOAK_FIRST_BROKER_LOGIN = "first broker login";
    public static final String BIND_ATTRIBUTE = "entrapbx.sso.bindFlows";
    private static final Logger LOG = Logger.getLogger(SsoFlows.class);

    private SsoFlows() {
    }

    /** Adds the flows that are missing; binds them when the realm asks for it. Returns the aliases added. */
    public static List<String> install(KeycloakSession session, RealmModel realm) {
        List<String> added = new ArrayList<>();
        SsoUpdatePassword.register(realm);
        if (realm.getFlowByAlias(BROWSER) == null) {
            browser(realm);
            added.add(BROWSER);
        }
        if (realm.getFlowByAlias(DIRECT_GRANT) == null) {
            directGrant(realm);
            added.add(DIRECT_GRANT);
        }
        if (realm.getFlowByAlias(RESET_CREDENTIALS) == null && copy(realm, KEYCLOAK_RESET_CREDENTIALS, RESET_CREDENTIALS,
                "Keycloak's reset credentials, except that no local password is set without Microsoft while SSO applies (entra-pbx).",
                Map.of("reset-password", SsoResetPassword.PROVIDER_ID),
                Map.of("reset-credentials-choose-user", SsoResetCredentialsGate.PROVIDER_ID))) {
            added.add(RESET_CREDENTIALS);
        }
        if (realm.getFlowByAlias(FIRST_BROKER_LOGIN) == null && copy(realm, KEYCLOAK_FIRST_BROKER_LOGIN, FIRST_BROKER_LOGIN,
                "Keycloak's first broker login, except that the password of an account SSO applies to links nothing (entra-pbx).",
                Map.of("idp-username-password-form", SsoReauthenticationFormFactory.PROVIDER_ID), Map.of())) {
            added.add(FIRST_BROKER_LOGIN);
        }
        if (Boolean.parseBoolean(realm.getAttribute(BIND_ATTRIBUTE))) {
            realm.setBrowserFlow(realm.getFlowByAlias(BROWSER));
            realm.setDirectGrantFlow(realm.getFlowByAlias(DIRECT_GRANT));
            bindIfPresent(realm.getFlowByAlias(RESET_CREDENTIALS), realm::setResetCredentialsFlow);
            bindIfPresent(realm.getFlowByAlias(FIRST_BROKER_LOGIN), realm::setFirstBrokerLoginFlow);
            realm.removeAttribute(BIND_ATTRIBUTE); // done once; later changes of the binding are the admin's
        }
        if (!added.isEmpty()) {
            LOG.debugf("Realm %s: added login flows %s", realm.getName(), added);
        }
        return added;
    }

    private static void bindIfPresent(AuthenticationFlowModel flow, Consumer<AuthenticationFlowModel> bind) {
        if (flow != null) {
            bind.accept(flow);
        }
    }

    /**
     * A deep copy of the realm's flow {@code sourceAlias} as {@code alias}: sub-flows and step
     * configurations copied too (prefixed with {@code alias}), steps named in {@code replace}
     * swapped, and after each step named in {@code insertAfter} the given step added. False when
     * the realm has no such flow.
     */
    private static boolean copy(RealmModel realm, String sourceAlias, String alias, String description, Map<String, String> replace,
                                Map<String, String> insertAfter) {
        AuthenticationFlowModel source = realm.getFlowByAlias(sourceAlias);
        if (source == null) {
            LOG.warnf("Realm %s has no flow '%s' to copy as '%s'; add it back, then POST /admin/realms/%s/sso-policy/flows",
                    realm.getName(), sourceAlias, alias, realm.getName());
            return false;
        }
        AuthenticationFlowModel top = flow(realm, alias, description, true);
        copySteps(realm, source, top, alias, replace, insertAfter);
        return true;
    }

    private static void copySteps(RealmModel realm, AuthenticationFlowModel from, AuthenticationFlowModel to, String prefix,
                                  Map<String, String> replace, Map<String, String> insertAfter) {
        for (AuthenticationExecutionModel e : realm.getAuthenticationExecutionsStream(from.getId()).toList()) {
            if (e.isAuthenticatorFlow()) {
                AuthenticationFlowModel sub = realm.getAuthenticationFlowById(e.getFlowId());
                AuthenticationFlowModel subCopy = subflow(realm, to, prefix + " - " + sub.getAlias(), sub.getDescription(), e.getRequirement(),
                        e.getPriority());
                copySteps(realm, sub, subCopy, prefix, replace, insertAfter);
                continue;
            }
            AuthenticationExecutionModel c = step(realm, to, replace.getOrDefault(e.getAuthenticator(), e.getAuthenticator()),
                    e.getRequirement(), e.getPriority(), configCopy(realm, e.getAuthenticatorConfig(), prefix));
            String after = insertAfter.get(e.getAuthenticator());
            if (after != null) {
                step(realm, to, after, Requirement.REQUIRED, c.getPriority() + 1);
            }
        }
    }

    private static String configCopy(RealmModel realm, String configId, String prefix) {
        AuthenticatorConfigModel source = configId == null ? null : realm.getAuthenticatorConfigById(configId);
        if (source == null) {
            return null;
        }
        AuthenticatorConfigModel copy = new AuthenticatorConfigModel();
        copy.setAlias(prefix + " - " + source.getAlias());
        copy.setConfig(new HashMap<>(source.getConfig() == null ? Map.of() : source.getConfig()));
        return realm.addAuthenticatorConfig(copy).getId();
    }

    private static void browser(RealmModel realm) {
        AuthenticationFlowModel top = flow(realm, BROWSER, "Email first: SSO users go to Microsoft, everyone else gets the password step "
                + "(entra-pbx SSO policies).", true);
        step(realm, top, "auth-cookie", Requirement.ALTERNATIVE, 10);
        step(realm, top, "identity-provider-redirector", Requirement.ALTERNATIVE, 20);
        AuthenticationFlowModel forms = subflow(realm, top, BROWSER + " forms", "Email, then password unless SSO applies.",
                Requirement.ALTERNATIVE, 30);
        step(realm, forms, EmailFirstAuthenticator.PROVIDER_ID, Requirement.REQUIRED, 10);
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

    private static AuthenticationExecutionModel step(RealmModel realm, AuthenticationFlowModel parent, String authenticator,
                                                     Requirement requirement, int priority) {
        return step(realm, parent, authenticator, requirement, priority, null);
    }

    private static AuthenticationExecutionModel step(RealmModel realm, AuthenticationFlowModel parent, String authenticator,
                                                     Requirement requirement, int priority, String configId) {
        AuthenticationExecutionModel e = new AuthenticationExecutionModel();
        e.setAuthenticatorConfig(configId);
        e.setParentFlow(parent.getId());
        e.setAuthenticator(authenticator);
        e.setAuthenticatorFlow(false);
        e.setRequirement(requirement);
        e.setPriority(priority);
        return realm.addAuthenticatorExecution(e);
    }
}
