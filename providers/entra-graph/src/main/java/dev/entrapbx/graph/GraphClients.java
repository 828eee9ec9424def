package dev.entrapbx.graph;

import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.core.requests.options.GraphClientOption;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import com.microsoft.kiota.http.middleware.RetryHandler;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * The one place Graph SDK clients are built: the OkHttp client with the Graph SDK's middleware
 * (Kiota's {@link RetryHandler} replaced), the retry layer, the throttle priority, the timeouts
 * and the trust store. Two kinds:
 * <ul>
 * <li>{@link #background}: a sync or an admin check. Retries in one layer, {@link GraphRetryInterceptor}
 * (which also marks every request {@code x-ms-throttle-priority: low}); OkHttp's own connection
 * retry is off, so a request costs at most {@code 1 + maxRetries} requests.</li>
 * <li>{@link #interactive}: someone is waiting (a sign-in). One request, no retries, no low priority,
 * connect and read timeouts of {@code timeout} each.</li>
 * </ul>
 * A {@code GraphClients} holds one OkHttp client (one connection pool); {@link #client} makes a Graph
 * client on it for a base URL and a token.
 */
public final class GraphClients {

    /** Connect timeout of background clients. */
    static final Duration BACKGROUND_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final OkHttpClient http;
    private final GraphRetryInterceptor retry;

    private GraphClients(OkHttpClient http, GraphRetryInterceptor retry) {
        this.http = http;
        this.retry = retry;
    }

    /** Background work: {@code policy}'s retries and read timeout, low throttle priority. */
    public static GraphClients background(RetryPolicy policy, GraphTls tls) {
        GraphRetryInterceptor retry = new GraphRetryInterceptor(policy.maxRetries(), policy.baseDelay(), policy.maxDelay());
        return new GraphClients(http(retry, BACKGROUND_CONNECT_TIMEOUT, policy.readTimeout(), tls), retry);
    }

    /** Someone waits for the answer: one request, no retries, {@code timeout} to connect and again to read. */
    public static GraphClients interactive(Duration timeout, GraphTls tls) {
        return new GraphClients(http(null, timeout, timeout, tls), null);
    }

    private static OkHttpClient http(GraphRetryInterceptor retry, Duration connectTimeout, Duration readTimeout, GraphTls tls) {
        List<Interceptor> interceptors = new ArrayList<>();
        if (retry != null) {
            interceptors.add(retry);
        }
        for (Interceptor i : GraphClientFactory.createDefaultGraphInterceptors(new GraphClientOption())) {
            if (!(i instanceof RetryHandler)) { // ours honours Retry-After with jitter and counts retries; none for interactive calls
                interceptors.add(i);
            }
        }
        OkHttpClient.Builder http = GraphClientFactory.create(interceptors)
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .callTimeout(Duration.ZERO)
                .retryOnConnectionFailure(false); // OkHttp's own silent retry would be a second layer: ours retries those too
        if (tls.custom()) {
            http.sslSocketFactory(tls.socketFactory(), tls.trustManager());
        }
        return http.build();
    }

    /**
     * A Graph client on this HTTP client.
     *
     * @param graphBaseUrl e.g. https://graph.microsoft.com/v1.0 (or the simulator's)
     * @param token        an app-only token for the tenant (fetched and cached by AppTokens); sent to that host only
     */
    public GraphServiceClient client(String graphBaseUrl, Supplier<String> token) {
        String host = URI.create(graphBaseUrl).getHost();
        AccessTokenProvider tokens = new AccessTokenProvider() {
            private final AllowedHostsValidator hosts = new AllowedHostsValidator(host);

            @Override
            public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                return hosts.isUrlHostValid(uri) ? token.get() : "";
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return hosts;
            }
        };
        GraphServiceClient client = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(tokens), http);
        client.getRequestAdapter().setBaseUrl(graphBaseUrl);
        return client;
    }

    /** Retries made so far through this client (for the run log); 0 for an interactive client. */
    public int retries() {
        return retry == null ? 0 : retry.retries();
    }

    /** Requests after the first that one request may cost. */
    public int maxRetries() {
        return retry == null ? 0 : retry.maxRetries();
    }
}
