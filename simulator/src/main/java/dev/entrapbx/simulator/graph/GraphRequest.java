package dev.entrapbx.simulator.graph;

import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.identity.AccessTokenClaims;

/** A Graph request whose bearer token was validated; the tenant is the token's tid. */
public record GraphRequest(Request http, AccessTokenClaims principal) {
    public String tenantId() {
        return principal.tenantId();
    }
}
