package dev.entrapbx.sync.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One customer (an Organization of the partner realm) at a glance, in
 * {@code GET /admin/realms/{realm}/entra-sync/customers}: its Microsoft Entra identity provider and
 * credential, and its user sync with the last run. A part the customer does not have is left out
 * ({@code identityProvider} without a linked {@code entra-id} IdP, {@code sync} without a sync).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CustomerRepresentation(String organizationId, String alias, String name, boolean enabled, List<String> domains,
                                     IdentityProvider identityProvider, Sync sync) {

    /**
     * The customer's {@code entra-id} IdP: tenant, cloud (its label), credential type and expiry
     * ({@code expiryState}: VALID, EXPIRING_SOON within 30 days, EXPIRED; {@code daysToExpiry} negative
     * once expired; both left out when no expiry date is known), the redirect URI to register in the
     * app registration, and in certificate mode the public certificate (PEM) to upload there.
     * {@code others} counts further Entra IdPs linked to the Organization.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IdentityProvider(String alias, boolean enabled, String tenant, String cloud, String credentialType,
                                   String credentialExpiresAt, Long daysToExpiry, String expiryState, String redirectUri,
                                   String certificatePem, int others) {
    }

    /**
     * The customer's {@code entra-users} sync: schedule (seconds; left out when off) and when each
     * scheduled run is due next ({@code nextFullSyncAt}, {@code nextChangedSyncAt}: the last scheduled
     * run of that kind plus its period, the earliest Keycloak's timer starts it; left out before the
     * first one), the last run (a RUNNING one with its live progress), the guard's held-back message
     * and failed runs in a row.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sync(String componentId, String name, boolean enabled, Integer fullSyncPeriodSeconds, Integer changedSyncPeriodSeconds,
                       String nextFullSyncAt, String nextChangedSyncAt, RunRepresentation lastRun, String guardMessage, int failedInARow) {
    }
}
