package dev.entrapbx.sync.graph;

import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.core.requests.options.GraphClientOption;
import com.microsoft.graph.models.Domain;
import com.microsoft.graph.models.OnPremisesExtensionAttributes;
import com.microsoft.graph.models.Organization;
import com.microsoft.graph.models.ProfilePhoto;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.UserCollectionResponse;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.delta.DeltaGetResponse;
import com.microsoft.kiota.ApiException;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import com.microsoft.kiota.http.middleware.RetryHandler;
import com.microsoft.kiota.serialization.UntypedNode;
import com.microsoft.kiota.serialization.UntypedObject;
import com.microsoft.kiota.serialization.UntypedString;
import dev.entrapbx.sync.EntraUser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * The directory reads a sync needs, through the Microsoft Graph Java SDK: users delta (largest
 * page size, {@code $select} of the mapped properties), user and group-member listings for
 * scopes, the tenant and its verified domains. Throttling and transient faults are handled by
 * {@link GraphRetryInterceptor}; a broken answer (unparseable, or a page with neither next nor
 * delta link) is retried a few times, then reported as a {@link GraphException}, never skipped.
 */
public final class GraphDirectory {

    /** Graph's maximum page size for users (and users delta, via Prefer: odata.maxpagesize). */
    public static final int PAGE_SIZE = 999;
    static final int PAGE_ATTEMPTS = 3;

    /** One page of a delta round. Exactly one of nextLink and deltaLink is set. */
    public record DeltaPage(List<EntraUser> users, String nextLink, String deltaLink) {
    }

    /** One page of a plain listing. */
    public record ListPage(List<EntraUser> users, String nextLink) {
    }

    public record Tenant(String id, String displayName) {
    }

    private final GraphServiceClient client;
    private final GraphRetryInterceptor retry;

    /**
     * @param graphBaseUrl e.g. https://graph.microsoft.com/v1.0 (or the simulator's)
     * @param token        an app-only token for the tenant, fetched (and cached) by MSAL
     * @param tls          Keycloak's trust material, or null for the JVM default
     */
    public GraphDirectory(String graphBaseUrl, Supplier<String> token, SSLSocketFactory socketFactory, X509TrustManager trustManager,
                          RetryPolicy policy) {
        this.retry = new GraphRetryInterceptor(policy.maxRetries(), policy.baseDelay(), policy.maxDelay());
        List<Interceptor> interceptors = new ArrayList<>();
        interceptors.add(retry);
        for (Interceptor i : GraphClientFactory.createDefaultGraphInterceptors(new GraphClientOption())) {
            if (!(i instanceof RetryHandler)) { // ours honours Retry-After with jitter and counts retries
                interceptors.add(i);
            }
        }
        OkHttpClient.Builder http = GraphClientFactory.create(interceptors)
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(policy.readTimeout())
                .callTimeout(Duration.ZERO);
        if (socketFactory != null && trustManager != null) {
            http.sslSocketFactory(socketFactory, trustManager);
        }
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
        this.client = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(tokens), http.build());
        this.client.getRequestAdapter().setBaseUrl(graphBaseUrl);
    }

    /** Bounded retries: attempts after the first, the backoff base and cap, and the read timeout. */
    public record RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay, Duration readTimeout) {
        public static RetryPolicy defaults() {
            return new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(100));
        }
    }

    public int retries() {
        return retry.retries();
    }

    /**
     * A delta page: the first of a new round when {@code link} is null, else the page at a
     * nextLink or deltaLink from an earlier answer.
     */
    public DeltaPage usersDelta(String link, List<String> select) {
        return call(link == null ? "GET /users/delta" : "GET /users/delta (next page)", () -> {
            DeltaGetResponse r = link == null
                    ? client.users().delta().get(rc -> {
                        rc.queryParameters.select = select.toArray(String[]::new);
                        rc.headers.add("Prefer", "odata.maxpagesize=" + PAGE_SIZE);
                    })
                    : client.users().delta().withUrl(link).get(rc -> rc.headers.add("Prefer", "odata.maxpagesize=" + PAGE_SIZE));
            if (r == null || r.getValue() == null) {
                throw new BrokenPage("no 'value' array");
            }
            String next = r.getOdataNextLink();
            String delta = r.getOdataDeltaLink();
            if ((next == null) == (delta == null)) {
                throw new BrokenPage(next == null ? "neither @odata.nextLink nor @odata.deltaLink (incomplete answer)"
                        : "both @odata.nextLink and @odata.deltaLink");
            }
            return new DeltaPage(r.getValue().stream().map(GraphDirectory::toEntraUser).toList(), next, delta);
        });
    }

    /** Users matching an OData filter (an advanced query: ConsistencyLevel eventual + $count). */
    public ListPage usersFiltered(String link, String filter, List<String> select) {
        return list("GET /users?$filter", link == null
                ? () -> client.users().get(rc -> {
                    rc.queryParameters.filter = filter;
                    rc.queryParameters.select = select.toArray(String[]::new);
                    rc.queryParameters.top = PAGE_SIZE;
                    rc.queryParameters.count = true;
                    rc.headers.add("ConsistencyLevel", "eventual");
                })
                : () -> client.users().withUrl(link).get(rc -> rc.headers.add("ConsistencyLevel", "eventual")));
    }

    /** Users that are transitive members of a group (nested groups resolved by Graph). */
    public ListPage groupUsers(String link, String groupId, List<String> select) {
        var builder = client.groups().byGroupId(groupId).transitiveMembers().graphUser();
        return list("GET /groups/" + groupId + "/transitiveMembers/microsoft.graph.user", link == null
                ? () -> builder.get(rc -> {
                    rc.queryParameters.select = select.toArray(String[]::new);
                    rc.queryParameters.top = PAGE_SIZE;
                })
                : () -> builder.withUrl(link).get());
    }

    /** Users by object id (at most 15 per call, Graph's limit for 'in'). */
    public List<EntraUser> usersById(List<String> ids, List<String> select) {
        if (ids.size() > 15) {
            throw new IllegalArgumentException("at most 15 ids per request");
        }
        String filter = "id in (" + ids.stream().map(i -> "'" + i.replace("'", "''") + "'").collect(Collectors.joining(",")) + ")";
        List<EntraUser> out = new ArrayList<>();
        String link = null;
        do {
            ListPage p = list("GET /users?$filter=id in (...)", link == null
                    ? () -> client.users().get(rc -> {
                        rc.queryParameters.filter = filter;
                        rc.queryParameters.select = select.toArray(String[]::new);
                    })
                    : withUrlList(link));
            out.addAll(p.users());
            link = p.nextLink();
        } while (link != null);
        return out;
    }

    private Supplier<UserCollectionResponse> withUrlList(String link) {
        return () -> client.users().withUrl(link).get();
    }

    private ListPage list(String what, Supplier<UserCollectionResponse> call) {
        return call(what, () -> {
            UserCollectionResponse r = call.get();
            if (r == null || r.getValue() == null) {
                throw new BrokenPage("no 'value' array");
            }
            return new ListPage(r.getValue().stream().map(GraphDirectory::toEntraUser).toList(), r.getOdataNextLink());
        });
    }

    public Tenant tenant() {
        return call("GET /organization", () -> {
            List<Organization> orgs = client.organization().get(rc -> rc.queryParameters.select = new String[] {"id", "displayName"}).getValue();
            if (orgs == null || orgs.isEmpty()) {
                throw new BrokenPage("no organization object");
            }
            return new Tenant(orgs.get(0).getId(), orgs.get(0).getDisplayName());
        });
    }

    /** The tenant's verified domains, lower case (Graph GET /domains). */
    public Set<String> verifiedDomains() {
        return call("GET /domains", () -> {
            List<Domain> domains = client.domains().get().getValue();
            return domains == null ? Set.<String>of() : domains.stream()
                    .filter(d -> Boolean.TRUE.equals(d.getIsVerified()))
                    .map(d -> d.getId().toLowerCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
        });
    }

    /** A user's photo as Graph describes it: the media ETag (changes with the bytes) and the content type. */
    public record PhotoInfo(String etag, String contentType) {
    }

    /** What Graph said of one user's photo in a batch: its metadata, that there is none, or why it could not tell. */
    public sealed interface PhotoLookup permits PhotoFound, NoPhoto, PhotoFailed {
    }

    public record PhotoFound(PhotoInfo info) implements PhotoLookup {
    }

    public record NoPhoto() implements PhotoLookup {
    }

    public record PhotoFailed(int status, String reason) implements PhotoLookup {
    }

    /** Graph's limit of requests per JSON batch. */
    public static final int BATCH_LIMIT = 20;

    /**
     * The photo metadata of up to {@value #BATCH_LIMIT} users in one JSON batch ({@code POST /$batch} of
     * {@code GET /users/{id}/photo}), so a sync checks 20 photos per round trip instead of one. Graph
     * throttles the requests of a batch one by one: the users answered 429/503/504 are asked again in a
     * new batch after the longest of their Retry-After (else the backoff), within the same bounded
     * retries as any other call.
     *
     * @throws GraphException when the batch itself fails (after retries)
     */
    public Map<String, PhotoLookup> photos(List<String> userIds) {
        if (userIds.size() > BATCH_LIMIT) {
            throw new IllegalArgumentException("at most " + BATCH_LIMIT + " users per batch");
        }
        Map<String, PhotoLookup> out = new LinkedHashMap<>();
        List<String> pending = userIds;
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            BatchRequestContent content = new BatchRequestContent(client);
            Map<String, String> userByStep = new LinkedHashMap<>();
            for (String id : pending) {
                userByStep.put(content.addBatchRequestStep(client.users().byUserId(id).photo().toGetRequestInformation()), id);
            }
            BatchResponseContent answer = call("POST /$batch (photos)", () -> {
                try {
                    return client.getBatchRequestBuilder().post(content, null);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Map<String, Integer> status = answer.getResponsesStatusCode();
            List<String> again = new ArrayList<>();
            long wait = 0;
            for (Map.Entry<String, String> step : userByStep.entrySet()) {
                String userId = step.getValue();
                Integer code = status.get(step.getKey());
                if (code == null) {
                    out.put(userId, new PhotoFailed(0, "the batch's answer has no response for this user"));
                } else if (code == 200) {
                    out.put(userId, photoFound(answer, step.getKey()));
                } else if (code == 404) {
                    out.put(userId, new NoPhoto());
                } else if (GraphRetryInterceptor.retryable(code) && attempt < retry.maxRetries()) {
                    again.add(userId);
                    okhttp3.Response r = answer.getResponseById(step.getKey());
                    wait = Math.max(wait, retry.delay(attempt, r == null ? null : r.header("Retry-After")));
                } else {
                    out.put(userId, new PhotoFailed(code, "Graph GET /users/{id}/photo answered " + code + errorOf(answer, step.getKey())
                            + hint(code)));
                }
            }
            if (!again.isEmpty()) {
                try {
                    retry.pause(wait, "POST /$batch (photos)", again.size() + " of its requests throttled or unavailable");
                } catch (java.io.InterruptedIOException e) {
                    throw new GraphException("interrupted while waiting to retry photo requests", 0, null, e);
                }
            }
            pending = again;
        }
        return out;
    }

    private static PhotoLookup photoFound(BatchResponseContent answer, String step) {
        try {
            ProfilePhoto p = answer.getResponseById(step, ProfilePhoto::createFromDiscriminatorValue);
            String etag = p == null ? null : text(p.getAdditionalData(), "@odata.mediaEtag");
            if (etag == null) {
                return new PhotoFailed(0, "Graph described the photo without an @odata.mediaEtag");
            }
            String type = text(p.getAdditionalData(), "@odata.mediaContentType");
            return new PhotoFound(new PhotoInfo(etag, type == null || !type.startsWith("image/") ? "image/jpeg" : type));
        } catch (RuntimeException e) {
            return new PhotoFailed(0, "unreadable photo metadata: " + describe(e));
        }
    }

    /** ": code: message" of a step's Graph error body, or "" when it has none. */
    private static String errorOf(BatchResponseContent answer, String step) {
        try {
            okhttp3.Response r = answer.getResponseById(step);
            String body = r == null || r.body() == null ? null : r.body().string();
            if (body == null || body.isBlank()) {
                return "";
            }
            com.fasterxml.jackson.databind.JsonNode error = JSON.readTree(body).path("error");
            String code = error.path("code").asText("");
            String message = error.path("message").asText("");
            return code.isEmpty() && message.isEmpty() ? "" : " " + code + ": " + message;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * The photo's bytes ({@code GET /users/{id}/photo/$value}), at most {@code maxBytes}.
     *
     * @throws GraphException when Graph fails or the photo is larger than {@code maxBytes}
     */
    public byte[] photoBytes(String userId, int maxBytes) {
        byte[] bytes = call("GET /users/{id}/photo/$value", () -> {
            try (InputStream in = client.users().byUserId(userId).photo().content().get()) {
                if (in == null) {
                    throw new BrokenPage("no photo in the answer");
                }
                return in.readNBytes(maxBytes + 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (bytes.length > maxBytes) {
            throw new GraphException("the photo is larger than " + maxBytes + " bytes; not stored", 0, null, null);
        }
        return bytes;
    }

    private static String text(Map<String, Object> data, String key) {
        Object v = data == null ? null : data.get(key);
        if (v instanceof UntypedString s) {
            return s.getValue();
        }
        return v instanceof String s ? s : null;
    }

    /** Thrown inside {@link #call} for an answer that parsed but cannot be trusted. */
    private static final class BrokenPage extends RuntimeException {
        BrokenPage(String message) {
            super(message);
        }
    }

    private <T> T call(String what, Supplier<T> call) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= PAGE_ATTEMPTS; attempt++) {
            try {
                return call.get();
            } catch (ODataError e) {
                String code = e.getError() == null ? null : e.getError().getCode();
                String msg = e.getError() == null ? e.getMessage() : e.getError().getMessage();
                throw new GraphException("Graph " + what + " answered " + e.getResponseStatusCode() + " " + (code == null ? "" : code)
                        + ": " + msg + hint(e.getResponseStatusCode()), e.getResponseStatusCode(), code, e);
            } catch (ApiException e) {
                if (e.getResponseStatusCode() >= 400 && e.getResponseStatusCode() != 429 && e.getResponseStatusCode() < 500) {
                    throw new GraphException("Graph " + what + " answered " + e.getResponseStatusCode() + hint(e.getResponseStatusCode()),
                            e.getResponseStatusCode(), null, e);
                }
                last = e; // 5xx/429 after the interceptor's retries, or a transport error
            } catch (BrokenPage e) {
                last = e;
            } catch (RuntimeException e) {
                last = e; // unparseable body (the SDK's JSON parser), cut connection
            }
        }
        int status = last instanceof ApiException a ? a.getResponseStatusCode() : 0;
        throw new GraphException("Graph " + what + " failed after " + PAGE_ATTEMPTS + " attempts: " + describe(last), status, null, last);
    }

    private static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 300; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                if (!sb.isEmpty()) {
                    sb.append(": ");
                }
                sb.append(c.getMessage());
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.isEmpty() ? String.valueOf(t) : sb.toString();
    }

    private static String hint(int status) {
        return switch (status) {
            case 401 -> " (the app token was refused: check the tenant and the app registration's credential)";
            case 403 -> " (a permission is missing: grant the app registration User.Read.All"
                    + " (and GroupMember.Read.All for group scope) as application permissions, with admin consent)";
            default -> "";
        };
    }

    /** The SDK's user as our SDK-free record; extension attributes flattened to extensionAttributeN. */
    static EntraUser toEntraUser(User u) {
        Object removed = u.getAdditionalData() == null ? null : u.getAdditionalData().get("@removed");
        if (removed != null) {
            return new EntraUser(u.getId(), removedReason(removed), Map.of());
        }
        Map<String, List<String>> p = new LinkedHashMap<>();
        put(p, "userPrincipalName", u.getUserPrincipalName());
        put(p, "mail", u.getMail());
        put(p, "givenName", u.getGivenName());
        put(p, "surname", u.getSurname());
        put(p, "displayName", u.getDisplayName());
        put(p, "accountEnabled", u.getAccountEnabled());
        put(p, "userType", u.getUserType());
        put(p, "jobTitle", u.getJobTitle());
        put(p, "department", u.getDepartment());
        if (u.getBusinessPhones() != null) {
            p.put("businessPhones", List.copyOf(u.getBusinessPhones()));
        }
        put(p, "mobilePhone", u.getMobilePhone());
        put(p, "officeLocation", u.getOfficeLocation());
        put(p, "employeeId", u.getEmployeeId());
        OnPremisesExtensionAttributes ext = u.getOnPremisesExtensionAttributes();
        if (ext != null) {
            List<Supplier<String>> getters = Arrays.asList(ext::getExtensionAttribute1, ext::getExtensionAttribute2,
                    ext::getExtensionAttribute3, ext::getExtensionAttribute4, ext::getExtensionAttribute5, ext::getExtensionAttribute6,
                    ext::getExtensionAttribute7, ext::getExtensionAttribute8, ext::getExtensionAttribute9, ext::getExtensionAttribute10,
                    ext::getExtensionAttribute11, ext::getExtensionAttribute12, ext::getExtensionAttribute13, ext::getExtensionAttribute14,
                    ext::getExtensionAttribute15);
            for (int i = 0; i < getters.size(); i++) {
                put(p, "extensionAttribute" + (i + 1), getters.get(i).get());
            }
        }
        // any other selected property (extra mappings): the SDK's backing store holds it by name
        if (u.getBackingStore() != null) {
            for (Map.Entry<String, Object> e : u.getBackingStore().enumerate().entrySet()) {
                if (!p.containsKey(e.getKey()) && isScalar(e.getValue())) {
                    put(p, e.getKey(), e.getValue());
                } else if (!p.containsKey(e.getKey()) && e.getValue() instanceof List<?> list) {
                    p.put(e.getKey(), list.stream().filter(GraphDirectory::isScalar).map(String::valueOf).toList());
                }
            }
        }
        if (u.getAdditionalData() != null) {
            for (Map.Entry<String, Object> e : u.getAdditionalData().entrySet()) {
                if (!p.containsKey(e.getKey()) && !e.getKey().startsWith("@") && e.getValue() instanceof UntypedString s) {
                    put(p, e.getKey(), s.getValue());
                }
            }
        }
        return new EntraUser(u.getId(), null, p);
    }

    private static boolean isScalar(Object v) {
        return v instanceof String || v instanceof Boolean || v instanceof Number || v instanceof java.time.temporal.Temporal;
    }

    private static void put(Map<String, List<String>> p, String name, Object value) {
        if (value != null) {
            p.put(name, List.of(String.valueOf(value)));
        }
    }

    private static String removedReason(Object removed) {
        if (removed instanceof UntypedObject o) {
            UntypedNode reason = o.getValue().get("reason");
            if (reason instanceof UntypedString s && s.getValue() != null) {
                return s.getValue();
            }
        }
        if (removed instanceof Map<?, ?> m && m.get("reason") != null) {
            return String.valueOf(m.get("reason"));
        }
        return "deleted";
    }
}
