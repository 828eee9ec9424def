package dev.entrapbx.broker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.core.EntraEndpoints;
import dev.entrapbx.core.TenantSelector;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.keycloak.broker.provider.IdentityBrokerException;
import org.keycloak.http.simple.SimpleHttp;
import org.keycloak.http.simple.SimpleHttpResponse;
import org.keycloak.models.KeycloakSession;

/**
 * Resolves a tenant configured by domain name (contoso.com) to its tenant id, from the issuer of
 * the domain's v2.0 discovery document ({@code https://login.../<tenant id>/v2.0}). Cached per
 * cloud/host and domain for an hour; one instance per server (held by the factory).
 */
public class TenantIdResolver {

    private static final Duration TTL = Duration.ofHours(1);

    private record Entry(String tenantId, Instant expires) {
    }

    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Clock clock;

    public TenantIdResolver(Clock clock) {
        this.clock = clock;
    }

    public String resolve(KeycloakSession session, EntraEndpoints endpoints) {
        String key = endpoints.discoveryDocument();
        Entry cached = cache.get(key);
        if (cached != null && clock.instant().isBefore(cached.expires)) {
            return cached.tenantId;
        }
        try {
            String tid = fetch(session, endpoints);
            cache.put(key, new Entry(tid, clock.instant().plus(TTL)));
            return tid;
        } catch (IdentityBrokerException e) {
            if (cached != null) { // a domain does not move between tenants: keep the last answer through an outage
                return cached.tenantId;
            }
            throw e;
        }
    }

    private static String fetch(KeycloakSession session, EntraEndpoints endpoints) {
        String key = endpoints.discoveryDocument();
        String issuer;
        try (SimpleHttpResponse r = SimpleHttp.create(session).doGet(key).asResponse()) {
            if (r.getStatus() != 200) {
                throw new IdentityBrokerException("Discovery of tenant '" + endpoints.tenant() + "' answered HTTP " + r.getStatus()
                        + ": is the domain verified in the customer's Entra tenant?");
            }
            JsonNode doc = r.asJson();
            issuer = doc.path("issuer").asText(null);
        } catch (IOException e) {
            throw new IdentityBrokerException("Could not read discovery of tenant '" + endpoints.tenant() + "': " + e.getMessage(), e);
        }
        return tenantIdFromIssuer(issuer)
                .orElseThrow(() -> new IdentityBrokerException("Discovery of tenant '" + endpoints.tenant()
                        + "' has no tenant-specific issuer: " + issuer));
    }

    /** {@code https://host/<guid>/v2.0} -> guid. */
    static Optional<String> tenantIdFromIssuer(String issuer) {
        if (issuer == null || !issuer.endsWith("/v2.0")) {
            return Optional.empty();
        }
        String path = issuer.substring(0, issuer.length() - "/v2.0".length());
        return TenantSelector.normalizeTenantId(path.substring(path.lastIndexOf('/') + 1));
    }
}
