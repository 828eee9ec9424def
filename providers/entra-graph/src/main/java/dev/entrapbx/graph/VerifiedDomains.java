package dev.entrapbx.graph;

import com.microsoft.graph.models.Domain;
import com.microsoft.graph.models.DomainCollectionResponse;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.ApiException;
import dev.entrapbx.core.AppTokens;
import dev.entrapbx.core.BoundedCache;
import dev.entrapbx.core.EntraEndpoints;
import dev.entrapbx.core.EntraException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.keycloak.models.KeycloakSession;

/**
 * The verified domains of a tenant, Graph {@code GET /domains?$select=id,isVerified} with an app-only
 * token (permission Domain.Read.All or Directory.Read.All); see
 * https://learn.microsoft.com/graph/api/domain-list. The one reader of {@code /domains}:
 * <ul>
 * <li>{@link #read}: the request and its answer, on a client the caller built (the sync reads
 * once per run, with its retries, uncached).</li>
 * <li>{@link #of}: for a sign-in, which proves an email for its tenant when the ID token has no
 * {@code xms_edov} claim. One request, no retries, {@value #TIMEOUT_SECONDS} s to connect and to
 * read; the answer is cached per Graph host, app and tenant for an hour, a failure for 10 minutes
 * (so a tenant without the permission is not asked at every sign-in).</li>
 * </ul>
 *
 * <p>The cache holds at most {@value #MAX_TENANTS} tenants, answers and failures together: with
 * "Allow any tenant" any tenant in the world can sign in and add an entry, and a tenant evicted
 * early is merely asked again.
 */
public class VerifiedDomains {

    static final Duration TTL = Duration.ofHours(1);
    /** A failed check is remembered this long, so a tenant without the permission is not asked at every sign-in. */
    static final Duration FAILURE_TTL = Duration.ofMinutes(10);
    /** Most tenants remembered (least recently used evicted first). */
    static final int MAX_TENANTS = 1_000;
    /** A sign-in waits at most this long to connect, and again to read the answer. */
    static final int TIMEOUT_SECONDS = 5;

    private final AppTokens tokens;
    private final BoundedCache<String, Set<String>> cache;
    /** Built on first use, with Keycloak's trust store (server-wide), then shared by every sign-in. */
    private volatile GraphClients http;

    public VerifiedDomains(AppTokens tokens, Clock clock) {
        this.tokens = tokens;
        this.cache = new BoundedCache<>(MAX_TENANTS, clock);
    }

    /**
     * The tenant's verified domains, lower case: Graph {@code GET /domains?$select=id,isVerified} on
     * {@code client}, with whatever retries the client makes. Errors are the SDK's, for the caller to word.
     */
    public static Set<String> read(GraphServiceClient client) {
        DomainCollectionResponse answer = client.domains().get(rc -> rc.queryParameters.select = new String[] {"id", "isVerified"});
        List<Domain> domains = answer == null ? null : answer.getValue();
        return domains == null ? Set.of() : domains.stream()
                .filter(d -> Boolean.TRUE.equals(d.getIsVerified()) && d.getId() != null)
                .map(d -> d.getId().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * For a sign-in: the tenant's verified domains, from the cache or one request.
     *
     * @throws EntraException when the token or the Graph call fails (missing permission, outage); remembered 10 minutes
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
        try {
            return read(interactive(session).client(endpoints.graphBaseUrl(), () -> token));
        } catch (ODataError e) {
            int status = e.getResponseStatusCode();
            String code = e.getError() == null ? null : e.getError().getCode();
            String message = e.getError() == null ? null : e.getError().getMessage();
            throw new GraphException("Graph GET /domains answered " + status + " " + (code == null ? "" : code) + ": "
                    + (message == null ? "" : message) + hint(status), status, code, e);
        } catch (ApiException e) {
            int status = e.getResponseStatusCode();
            throw new GraphException("Graph GET /domains answered " + status + " : " + hint(status), status, null, e);
        } catch (RuntimeException e) { // no answer (refused, reset, timed out) or one that cannot be read
            throw new GraphException("Graph GET /domains failed: " + rootMessage(e), 0, null, e);
        }
    }

    private GraphClients interactive(KeycloakSession session) {
        GraphClients h = http;
        if (h == null) {
            synchronized (this) {
                if (http == null) {
                    http = GraphClients.interactive(Duration.ofSeconds(TIMEOUT_SECONDS), GraphTls.of(session));
                }
                h = http;
            }
        }
        return h;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : String.valueOf(root);
    }

    private static String hint(int status) {
        return status == 403 ? " (grant the app registration the application permission Domain.Read.All with admin consent)" : "";
    }
}
