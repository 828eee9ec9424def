package dev.entrapbx.broker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.core.AppTokens;
import dev.entrapbx.core.BoundedCache;
import dev.entrapbx.core.EntraEndpoints;
import dev.entrapbx.core.EntraException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.keycloak.http.simple.SimpleHttp;
import org.keycloak.http.simple.SimpleHttpResponse;
import org.keycloak.models.KeycloakSession;

/**
 * The verified domains of a tenant, read from Graph {@code GET /domains} with an app-only token
 * (permission Domain.Read.All or Directory.Read.All), cached per app and tenant for an hour.
 * Proves an email for its tenant when the ID token has no {@code xms_edov} claim.
 *
 * <p>The cache holds at most {@value #MAX_TENANTS} tenants, answers and failures together: with
 * "Allow any tenant" any tenant in the world can sign in and add an entry, and a tenant evicted
 * early is merely asked again.
 * See https://learn.microsoft.com/graph/api/domain-list.
 */
public class VerifiedDomains {

    static final Duration TTL = Duration.ofHours(1);
    /** A failed check is remembered this long, so a tenant without the permission is not asked at every sign-in. */
    static final Duration FAILURE_TTL = Duration.ofMinutes(10);
    /** Most tenants remembered (least recently used evicted first). */
    static final int MAX_TENANTS = 1_000;

    private final AppTokens tokens;
    private final BoundedCache<String, Set<String>> cache;

    public VerifiedDomains(AppTokens tokens, Clock clock) {
        this.tokens = tokens;
        this.cache = new BoundedCache<>(MAX_TENANTS, clock);
    }

    /**
     * @throws EntraException when the token or the Graph call fails (missing permission, outage)
     */
    public Set<String> of(KeycloakSession session, EntraEndpoints endpoints, String tenantId, AppTokens.Credential credential) {
        String key = endpoints.graphBaseUrl() + "|" + credential.clientId() + "|" + tenantId;
        Optional<Set<String>> cached = cache.get(key); // rethrows a remembered failure
        if (cached.isPresent()) {
            return cached.get();
        }
        try {
            Set<String> domains = load(session, endpoints, tenantId, credential);
            cache.put(key, domains, TTL);
            return domains;
        } catch (EntraException e) {
            cache.putFailure(key, e, FAILURE_TTL);
            throw e;
        }
    }

    private Set<String> load(KeycloakSession session, EntraEndpoints endpoints, String tenantId, AppTokens.Credential credential) {
        String token = tokens.graphToken(endpoints, tenantId, credential);
        String url = endpoints.graphBaseUrl() + "/domains?$select=id,isVerified";
        Set<String> verified = new HashSet<>();
        try (SimpleHttpResponse r = SimpleHttp.create(session).doGet(url).auth(token)
                .header("Accept", "application/json").asResponse()) {
            if (r.getStatus() != 200) {
                JsonNode error = r.asJson().path("error");
                throw new EntraException("Graph GET /domains answered " + r.getStatus() + " " + error.path("code").asText("")
                        + ": " + error.path("message").asText("") + hint(r.getStatus()), r.getStatus(), error.path("code").asText(null), null);
            }
            for (JsonNode d : r.asJson().path("value")) {
                if (d.path("isVerified").asBoolean(false)) {
                    verified.add(d.path("id").asText().toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new EntraException("Graph GET /domains failed: " + e.getMessage(), 0, null, e);
        }
        return Set.copyOf(verified);
    }

    private static String hint(int status) {
        return status == 403 ? " (grant the app registration the application permission Domain.Read.All with admin consent)" : "";
    }
}
