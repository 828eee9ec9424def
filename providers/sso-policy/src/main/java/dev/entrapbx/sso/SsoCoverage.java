package dev.entrapbx.sso;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowBindings;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Where this realm checks or sets a password, and whether the SSO gate stands there. The gate
 * is part of the entra-pbx flows; a binding to any other flow that holds one of Keycloak's own
 * password steps (the realm's bindings, a client's "Authentication flow overrides", an identity
 * provider's first- or post-login flow, the SAML ECP flow of clients that allow it) lets an SSO
 * user in with the kept password. {@code GET /admin/realms/{realm}/sso-policy/flows} shows this
 * list so that an admin sees such a hole instead of assuming the guarantee.
 */
public final class SsoCoverage {

    /** Keycloak's steps that accept (or set) a password without asking our SSO decision. */
    static final Map<String, String> UNGATED_STEPS = Map.of(
            "auth-username-password-form", "Username Password Form",
            "auth-password-form", "Password Form",
            "direct-grant-validate-password", "Password (direct grant)",
            "idp-username-password-form", "Username Password Form for identity provider reauthentication",
            "reset-password", "Reset Password",
            "http-basic-authenticator", "HTTP Basic Authentication",
            "docker-http-basic-authenticator", "Docker Authenticator");

    /** One place a flow is used, and whether a password can get past SSO there. */
    public record Binding(String usedBy, String flow, boolean guarded, String detail) {
    }

    private SsoCoverage() {
    }

    public static List<Binding> of(KeycloakSession session, RealmModel realm) {
        Map<String, AuthenticationFlowModel> used = new LinkedHashMap<>();
        used.put("realm browser flow", realm.getBrowserFlow());
        used.put("realm direct grant flow", realm.getDirectGrantFlow());
        used.put("realm reset credentials flow", realm.getResetCredentialsFlow());
        used.put("realm first broker login flow", realm.getFirstBrokerLoginFlow());
        realm.getClientsStream().forEach(c -> {
            Map<String, String> overrides = c.getAuthenticationFlowBindingOverrides();
            for (String b : List.of(AuthenticationFlowBindings.BROWSER_BINDING, AuthenticationFlowBindings.DIRECT_GRANT_BINDING)) {
                String id = overrides == null ? null : overrides.get(b);
                if (id != null) {
                    used.put("client " + c.getClientId() + " (" + b + " override)", realm.getAuthenticationFlowById(id));
                }
            }
            if ("saml".equals(c.getProtocol()) && Boolean.parseBoolean(c.getAttribute("saml.allow.ecp.flow"))) {
                used.put("client " + c.getClientId() + " (SAML ECP)", realm.getFlowByAlias("saml ecp"));
            }
        });
        session.identityProviders().getAllStream().forEach(idp -> {
            if (idp.getFirstBrokerLoginFlowId() != null) {
                used.put("identity provider " + idp.getAlias() + " (first login flow)", realm.getAuthenticationFlowById(idp.getFirstBrokerLoginFlowId()));
            }
            if (idp.getPostBrokerLoginFlowId() != null) {
                used.put("identity provider " + idp.getAlias() + " (post login flow)", realm.getAuthenticationFlowById(idp.getPostBrokerLoginFlowId()));
            }
        });
        List<Binding> out = new ArrayList<>();
        used.forEach((by, flow) -> {
            if (flow != null) {
                Optional<String> step = ungatedStep(realm, flow);
                out.add(new Binding(by, flow.getAlias(), step.isEmpty(), step.map(s -> "'" + flow.getAlias() + "' has Keycloak's '" + s
                        + "' step, which lets a user to whom SSO applies in with the kept password: bind an entra-pbx flow here "
                        + "(POST .../sso-policy/flows adds them) or remove the step").orElse(null)));
            }
        });
        return out;
    }

    /** The first of Keycloak's password steps in the flow (sub-flows included) not covered by a gate of ours, if any. */
    static Optional<String> ungatedStep(RealmModel realm, AuthenticationFlowModel flow) {
        List<String> steps = new ArrayList<>();
        collect(realm, flow, steps, 0);
        boolean directGrantGate = steps.contains(SsoDirectGrantGate.PROVIDER_ID);
        for (String s : steps) {
            if (UNGATED_STEPS.containsKey(s) && !(s.equals("direct-grant-validate-password") && directGrantGate)) {
                return Optional.of(UNGATED_STEPS.get(s));
            }
        }
        return Optional.empty();
    }

    private static void collect(RealmModel realm, AuthenticationFlowModel flow, List<String> steps, int depth) {
        if (depth > 20) {
            return;
        }
        for (AuthenticationExecutionModel e : realm.getAuthenticationExecutionsStream(flow.getId()).toList()) {
            if (e.getRequirement() == AuthenticationExecutionModel.Requirement.DISABLED) {
                continue;
            }
            if (e.isAuthenticatorFlow()) {
                AuthenticationFlowModel sub = realm.getAuthenticationFlowById(e.getFlowId());
                if (sub != null) {
                    collect(realm, sub, steps, depth + 1);
                }
            } else if (e.getAuthenticator() != null) {
                steps.add(e.getAuthenticator());
            }
        }
    }
}
