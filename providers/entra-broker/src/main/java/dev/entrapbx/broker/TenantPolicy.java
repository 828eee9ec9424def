package dev.entrapbx.broker;

import dev.entrapbx.core.EntraEndpoints;
import dev.entrapbx.core.TenantSelector;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether an ID token's tenant may sign in: its {@code iss} must be the v2.0 issuer
 * template with the token's own {@code tid} substituted, and that tenant must be the configured
 * one (single tenant) or on the allow-list (multi-tenant). Pure logic, no Keycloak types.
 */
final class TenantPolicy {

    enum Reason {
        MISSING_EXP("exp_missing"),
        MISSING_TID("tid_missing"),
        WRONG_ISSUER("issuer_mismatch"),
        TENANT_NOT_ALLOWED("tenant_not_allowed");

        final String code;

        Reason(String code) {
            this.code = code;
        }
    }

    record Rejection(Reason reason, String detail) {
    }

    private final EntraEndpoints endpoints;
    private final String expectedTenantId; // single tenant; null in multi-tenant mode
    private final Set<String> allowedTenants;
    private final boolean allowAnyTenant;

    /**
     * @param expectedTenantId the single tenant's id (resolved from its domain when configured by domain), or null for multi-tenant
     */
    TenantPolicy(EntraEndpoints endpoints, String expectedTenantId, Set<String> allowedTenants, boolean allowAnyTenant) {
        this.endpoints = endpoints;
        this.expectedTenantId = expectedTenantId;
        this.allowedTenants = Set.copyOf(allowedTenants);
        this.allowAnyTenant = allowAnyTenant;
    }

    Optional<Rejection> check(String issuer, Object tidClaim) {
        Optional<String> tid = tidClaim instanceof String s ? TenantSelector.normalizeTenantId(s) : Optional.empty();
        if (tid.isEmpty()) {
            return Optional.of(new Rejection(Reason.MISSING_TID, "token has no valid tid claim"));
        }
        String expectedIssuer = endpoints.issuerFor(tid.get());
        if (!expectedIssuer.equals(issuer)) {
            return Optional.of(new Rejection(Reason.WRONG_ISSUER, "issuer '" + issuer + "' is not '" + expectedIssuer + "'"));
        }
        if (expectedTenantId != null) {
            if (!expectedTenantId.equals(tid.get())) {
                return Optional.of(new Rejection(Reason.TENANT_NOT_ALLOWED,
                        "tenant " + tid.get() + " is not the configured tenant " + expectedTenantId));
            }
        } else if (!allowAnyTenant && !allowedTenants.contains(tid.get())) {
            return Optional.of(new Rejection(Reason.TENANT_NOT_ALLOWED, "tenant " + tid.get() + " is not in the allow-list"));
        }
        return Optional.empty();
    }
}
