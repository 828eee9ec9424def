package dev.entrapbx.simulator.identity;

import java.util.List;
import java.util.Set;

/**
 * What a validated access token says.
 *
 * @param objectId the user's object id (delegated) or the service principal's (app-only)
 */
public record AccessTokenClaims(String tenantId, String appId, String audience, boolean appOnly, String objectId,
                                Set<String> roles, Set<String> scopes) {

    /** True when the token carries one of the given permissions (as an app role or a delegated scope). */
    public boolean hasAny(List<String> permissions) {
        for (String p : permissions) {
            if (appOnly ? roles.contains(p) : scopes.contains(p)) {
                return true;
            }
        }
        return false;
    }
}
