package dev.entrapbx.sync.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collection;
import java.util.List;

/**
 * {@code POST .../entra-sync/{componentId}/test-connection} (always 200). The fields a step that
 * was not reached would have filled are absent.
 *
 * @param tokenAcquired      an app token was acquired
 * @param clientId           the app the sync uses
 * @param tenantId           the token's tenant
 * @param grantedPermissions the token's application permissions
 * @param missingPermissions what the sync needs and the token lacks, one sentence each
 * @param tenantName         the tenant's display name, when Graph let us read it
 * @param ok                 the sync can run
 * @param messages           what to fix, one sentence each
 * @param adminConsentUrl    where the customer's admin grants the missing permissions (absent when none is missing)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TestConnectionRepresentation(boolean tokenAcquired, String clientId, String tenantId, Collection<String> grantedPermissions,
                                           List<String> missingPermissions, String tenantName, boolean ok, List<String> messages,
                                           String adminConsentUrl) {
}
