package dev.entrapbx.sync.graph;

import dev.entrapbx.graph.GraphException;
import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.models.OnPremisesExtensionAttributes;
import com.microsoft.graph.models.Group;
import com.microsoft.graph.models.GroupCollectionResponse;
import com.microsoft.graph.models.Organization;
import com.microsoft.graph.models.ProfilePhoto;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.UserCollectionResponse;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.delta.DeltaGetResponse;
import com.microsoft.kiota.ApiException;
import com.microsoft.kiota.NativeResponseHandler;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.http.middleware.options.HeadersInspectionOption;
import com.microsoft.kiota.serialization.UntypedNode;
import com.microsoft.kiota.serialization.UntypedObject;
import com.microsoft.kiota.serialization.UntypedString;
import dev.entrapbx.graph.GraphClients;
import dev.entrapbx.graph.GraphRetryInterceptor;
import dev.entrapbx.graph.GraphTls;
import dev.entrapbx.graph.VerifiedDomains;
import dev.entrapbx.sync.EntraUser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The directory reads a sync needs, through the Microsoft Graph Java SDK: users delta (largest
 * page size, {@code $select} of the mapped properties), user and group-member listings for
 * scopes, the tenant and its verified domains, profile photos. Retries are made in one place,
 * {@link GraphRetryInterceptor} (throttling, transient faults, broken answers: at most
 * {@code 1 + maxRetries} requests for each request); what still fails is reported here as a
 * {@link GraphException} at once, never skipped and never repeated.
 */
public final class GraphDirectory {

    /** Graph's maximum page size for users (and users delta, via Prefer: odata.maxpagesize). */
    public static final int PAGE_SIZE = 999;

    /** One page of a delta round. Exactly one of nextLink and deltaLink is set. */
    public record DeltaPage(List<EntraUser> users, String nextLink, String deltaLink) {
    }

    /** One page of a plain listing. */
    public record ListPage(List<EntraUser> users, String nextLink) {
    }

    public record Tenant(String id, String displayName) {
    }

    private final GraphServiceClient client;
    private final GraphClients http;

    /**
     * @param graphBaseUrl e.g. https://graph.microsoft.com/v1.0 (or the simulator's)
     * @param token        an app-only token for the tenant, fetched (and cached) by MSAL
     * @param tls          Keycloak's trust material, or {@link GraphTls#JVM_DEFAULT}
     * @param policy       the retries (in one layer, {@link GraphClients#background}) and the read timeout
     */
    public GraphDirectory(String graphBaseUrl, Supplier<String> token, GraphTls tls, dev.entrapbx.graph.RetryPolicy policy) {
        this.http = GraphClients.background(policy, tls);
        this.client = http.client(graphBaseUrl, token);
    }

    public int retries() {
        return http.retries();
    }

    /** The SDK client, for the other readers ({@link GraphContacts}, the presence module). */
    public GraphServiceClient client() {
        return client;
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
            requireOneLink(next, delta);
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

    // ---- groups (the Entra groups mirror) ----

    /** The group properties the mirror reads ({@code members} asks groups delta for {@code members@delta}). */
    public static final List<String> GROUP_SELECT = List.of("id", "displayName", "description", "members");

    /**
     * One group as a groups delta page tells it. {@code displayName} and {@code description} are null
     * when the page did not send them (unchanged, or not set); {@code removed} carries Graph's
     * {@code @removed.reason}, null for a group that exists. Members are the page's
     * {@code members@delta} entries of type user and group (others, such as devices, are left out);
     * a group's members may span several pages, the group then appears on each.
     */
    public record DeltaGroup(String id, String displayName, String description, String removed,
                             List<String> usersAdded, List<String> usersRemoved, List<String> groupsAdded) {
    }

    /** One page of a groups delta round. Exactly one of nextLink and deltaLink is set. */
    public record GroupDeltaPage(List<DeltaGroup> groups, String nextLink, String deltaLink) {
    }

    /** A group's own properties ({@code GET /groups/{id}}). */
    public record GroupInfo(String id, String displayName, String description) {
    }

    /**
     * A groups delta page ({@code GET /groups/delta?$select=id,displayName,description,members}): the
     * first of a new round when {@code link} is null, else the page at a nextLink or deltaLink.
     */
    public GroupDeltaPage groupsDelta(String link) {
        return call(link == null ? "GET /groups/delta" : "GET /groups/delta (next page)", () -> {
            com.microsoft.graph.groups.delta.DeltaGetResponse r = link == null
                    ? client.groups().delta().get(rc -> {
                        rc.queryParameters.select = GROUP_SELECT.toArray(String[]::new);
                        rc.headers.add("Prefer", "odata.maxpagesize=" + PAGE_SIZE);
                    })
                    : client.groups().delta().withUrl(link).get(rc -> rc.headers.add("Prefer", "odata.maxpagesize=" + PAGE_SIZE));
            if (r == null || r.getValue() == null) {
                throw new BrokenPage("no 'value' array");
            }
            String next = r.getOdataNextLink();
            String delta = r.getOdataDeltaLink();
            requireOneLink(next, delta);
            List<DeltaGroup> groups = new ArrayList<>();
            for (Group g : r.getValue()) {
                groups.add(toDeltaGroup(g));
            }
            return new GroupDeltaPage(groups, next, delta);
        });
    }

    /** The ids of the groups nested in a group, at any depth ({@code GET /groups/{id}/transitiveMembers/microsoft.graph.group}). */
    public List<String> nestedGroups(String groupId) {
        var builder = client.groups().byGroupId(groupId).transitiveMembers().graphGroup();
        return groupIds("GET /groups/" + groupId + "/transitiveMembers/microsoft.graph.group", link -> link == null
                ? builder.get(rc -> {
                    rc.queryParameters.select = new String[] {"id"};
                    rc.queryParameters.top = PAGE_SIZE;
                })
                : builder.withUrl(link).get());
    }

    /** The groups a user is a direct member of ({@code GET /users/{id}/memberOf/microsoft.graph.group}). */
    public List<String> userGroups(String userId) {
        var builder = client.users().byUserId(userId).memberOf().graphGroup();
        return groupIds("GET /users/" + userId + "/memberOf/microsoft.graph.group", link -> link == null
                ? builder.get(rc -> {
                    rc.queryParameters.select = new String[] {"id"};
                    rc.queryParameters.top = PAGE_SIZE;
                })
                : builder.withUrl(link).get());
    }

    /** A group's own properties, or empty when it does not exist (404). */
    public java.util.Optional<GroupInfo> group(String groupId) {
        try {
            Group g = call("GET /groups/" + groupId, () -> client.groups().byGroupId(groupId)
                    .get(rc -> rc.queryParameters.select = new String[] {"id", "displayName", "description"}));
            if (g == null || g.getId() == null) {
                throw new GraphException("Graph GET /groups/" + groupId + " gave an answer that cannot be used: no group", 0, null, null);
            }
            return java.util.Optional.of(new GroupInfo(g.getId(), g.getDisplayName(), g.getDescription()));
        } catch (GraphException e) {
            if (e.status() == 404) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    /** The users that are direct members of a group ({@code GET /groups/{id}/members/microsoft.graph.user}), ids only. */
    public List<String> groupDirectUsers(String groupId) {
        var builder = client.groups().byGroupId(groupId).members().graphUser();
        List<String> out = new ArrayList<>();
        String link = null;
        do {
            String current = link;
            ListPage p = list("GET /groups/" + groupId + "/members/microsoft.graph.user", current == null
                    ? () -> builder.get(rc -> {
                        rc.queryParameters.select = new String[] {"id"};
                        rc.queryParameters.top = PAGE_SIZE;
                    })
                    : () -> builder.withUrl(current).get());
            p.users().forEach(u -> out.add(u.id()));
            link = p.nextLink();
        } while (link != null);
        return out;
    }

    /** Every page of a group listing, ids only. */
    private List<String> groupIds(String what, java.util.function.Function<String, GroupCollectionResponse> page) {
        List<String> out = new ArrayList<>();
        String link = null;
        do {
            String current = link;
            GroupCollectionResponse r = call(what, () -> {
                GroupCollectionResponse answer = page.apply(current);
                if (answer == null || answer.getValue() == null) {
                    throw new BrokenPage("no 'value' array");
                }
                return answer;
            });
            for (Group g : r.getValue()) {
                if (g.getId() == null) {
                    throw new GraphException("Graph " + what + " gave an answer that cannot be used: a group without an id", 0, null, null);
                }
                out.add(g.getId());
            }
            link = r.getOdataNextLink();
        } while (link != null);
        return out;
    }

    /** The SDK's group of a delta page as our record: {@code @removed} and {@code members@delta} come as additional data. */
    static DeltaGroup toDeltaGroup(Group g) {
        if (g.getId() == null) {
            throw new BrokenPage("a group without an id");
        }
        Map<String, Object> extra = g.getAdditionalData() == null ? Map.of() : g.getAdditionalData();
        Object removed = extra.get("@removed");
        List<String> usersAdded = new ArrayList<>();
        List<String> usersRemoved = new ArrayList<>();
        List<String> groupsAdded = new ArrayList<>();
        Object members = extra.get("members@delta");
        if (members instanceof com.microsoft.kiota.serialization.UntypedArray array) {
            for (UntypedNode n : array.getValue()) {
                if (!(n instanceof UntypedObject o)) {
                    throw new BrokenPage("a members@delta entry that is not an object");
                }
                Map<String, UntypedNode> m = o.getValue();
                String id = m.get("id") instanceof UntypedString s ? s.getValue() : null;
                String type = m.get("@odata.type") instanceof UntypedString s ? s.getValue() : null;
                if (id == null) {
                    throw new BrokenPage("a members@delta entry without an id");
                }
                boolean gone = m.containsKey("@removed");
                if ("#microsoft.graph.user".equals(type)) {
                    (gone ? usersRemoved : usersAdded).add(id);
                } else if ("#microsoft.graph.group".equals(type) && !gone) {
                    groupsAdded.add(id);
                }
            }
        } else if (members != null && !(members instanceof com.microsoft.kiota.serialization.UntypedNull)) {
            throw new BrokenPage("members@delta is not an array");
        }
        return new DeltaGroup(g.getId(), removed == null ? g.getDisplayName() : null, removed == null ? g.getDescription() : null,
                removed == null ? null : removedReason(removed), usersAdded, usersRemoved, groupsAdded);
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

    /** The tenant's verified domains, lower case ({@link VerifiedDomains#read}, with this client's retries). */
    public Set<String> verifiedDomains() {
        return call("GET /domains", () -> VerifiedDomains.read(client));
    }

    /** A user's photo as Graph describes it: the media ETag (changes with the bytes) and the content type (null if not said). */
    public record PhotoInfo(String etag, String contentType) {
    }

    /** A photo's bytes and the content type Graph sent them with (null if not said). */
    public record PhotoBytes(byte[] bytes, String contentType) {
    }

    /** What Graph said of one user's photo: its metadata, that there is none, or why it could not tell. */
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
     * {@code GET /users/{id}/photo}), so a sync checks 20 photos per round trip instead of one. The
     * requests Graph throttles inside the batch are asked again by {@link GraphRetryInterceptor}. When
     * Graph refuses the batch as a whole (400, or a 5xx after the retries) or leaves users out of its
     * answer, those users are asked one by one ({@link #photo}); if that fails too, the reason names the
     * batch's own error as well.
     *
     * @throws GraphException when Graph refuses the batch with 401/403 (asking user by user would be refused the same)
     */
    public Map<String, PhotoLookup> photos(List<String> userIds) {
        if (userIds.size() > BATCH_LIMIT) {
            throw new IllegalArgumentException("at most " + BATCH_LIMIT + " users per batch");
        }
        BatchRequestContent content = new BatchRequestContent(client);
        Map<String, String> userByStep = new LinkedHashMap<>();
        for (String id : userIds) {
            userByStep.put(content.addBatchRequestStep(client.users().byUserId(id).photo().toGetRequestInformation()), id);
        }
        BatchResponseContent answer;
        try {
            answer = batch(content);
        } catch (GraphException e) {
            if (e.status() == 401 || e.status() == 403) {
                throw e;
            }
            return oneByOne(userIds, e.getMessage());
        }
        Map<String, PhotoLookup> out = new LinkedHashMap<>();
        Map<String, Integer> status = answer.getResponsesStatusCode();
        List<String> unanswered = new ArrayList<>();
        for (Map.Entry<String, String> step : userByStep.entrySet()) {
            String userId = step.getValue();
            Integer code = status.get(step.getKey());
            if (code == null) {
                unanswered.add(userId);
            } else if (code == 200) {
                out.put(userId, photoFound(() -> answer.getResponseById(step.getKey(), ProfilePhoto::createFromDiscriminatorValue)));
            } else if (code == 404) {
                out.put(userId, new NoPhoto());
            } else {
                out.put(userId, new PhotoFailed(code, "Graph GET /users/{id}/photo answered " + code + errorOf(answer, step.getKey())
                        + exhausted(code) + hint(code, null)));
            }
        }
        out.putAll(oneByOne(unanswered, "Graph's POST /$batch answer had no response for this user"));
        return out;
    }

    /** The batch, sent as it is; a batch Graph answers with an error status is a GraphException with its code and message. */
    private BatchResponseContent batch(BatchRequestContent content) {
        return batch(content, "photos");
    }

    /** {@link #batch(BatchRequestContent)} for another reader of this package; {@code what} names its steps in errors. */
    BatchResponseContent batch(BatchRequestContent content, String what) {
        return call("POST /$batch (" + what + ")", () -> {
            NativeResponseHandler handler = new NativeResponseHandler();
            try {
                RequestInformation request = client.getBatchRequestBuilder().toPostRequestInformation(content);
                request.setResponseHandler(handler);
                client.getRequestAdapter().sendPrimitive(request, null, InputStream.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            okhttp3.Response response = (okhttp3.Response) handler.getValue();
            if (response == null) {
                throw new BrokenPage("no answer");
            }
            if (!response.isSuccessful()) {
                ODataMessage error;
                try (response) {
                    error = ODataMessage.of(response.body() == null ? null : response.body().string());
                } catch (IOException e) {
                    error = new ODataMessage(null, null);
                }
                int code = response.code();
                throw new GraphException("Graph POST /$batch answered " + code + error.text() + exhausted(code) + hint(code, null), code,
                        error.code(), null);
            }
            BatchResponseContent answer = new BatchResponseContent(response, null);
            try {
                answer.getResponsesStatusCode(); // parsed once here (and kept), so an unreadable answer counts as a refused batch
            } catch (RuntimeException e) {
                throw new BrokenPage("unreadable batch answer: " + describe(e));
            }
            return answer;
        });
    }

    /**
     * Users asked one by one ({@code GET /users/{id}/photo}), when their batch could not tell. After the
     * first failure that is not about the user (still 429/503/504 after the retries, or no answer), the
     * rest are not asked: Graph is not answering, and each would cost the full retries again.
     */
    private Map<String, PhotoLookup> oneByOne(List<String> userIds, String batchError) {
        Map<String, PhotoLookup> out = new LinkedHashMap<>();
        PhotoFailed down = null;
        for (String userId : userIds) {
            PhotoLookup lookup = down != null
                    ? new PhotoFailed(down.status(), batchError + "; not asked alone, as Graph did not answer for another user: " + down.reason())
                    : photo(userId);
            if (down == null && lookup instanceof PhotoFailed f) {
                lookup = new PhotoFailed(f.status(), batchError + "; asked alone: " + f.reason());
                if (f.status() == 0 || GraphRetryInterceptor.retryable(f.status())) {
                    down = f;
                }
            }
            out.put(userId, lookup);
        }
        return out;
    }

    /** One user's photo metadata ({@code GET /users/{id}/photo}), as a step of a batch would tell it. */
    public PhotoLookup photo(String userId) {
        try {
            return photoFound(() -> call("GET /users/{id}/photo", () -> client.users().byUserId(userId).photo().get()));
        } catch (GraphException e) {
            return e.status() == 404 ? new NoPhoto() : new PhotoFailed(e.status(), e.getMessage());
        }
    }

    private static PhotoLookup photoFound(Supplier<ProfilePhoto> photo) {
        ProfilePhoto p;
        try {
            p = photo.get();
        } catch (GraphException e) {
            throw e;
        } catch (RuntimeException e) {
            return new PhotoFailed(0, "unreadable photo metadata: " + describe(e));
        }
        String etag = p == null ? null : text(p.getAdditionalData(), "@odata.mediaEtag");
        if (etag == null) {
            return new PhotoFailed(0, "Graph described the photo without an @odata.mediaEtag");
        }
        return new PhotoFound(new PhotoInfo(etag, mediaType(text(p.getAdditionalData(), "@odata.mediaContentType"))));
    }

    /** "image/png" of "image/PNG; q=1"; null for none. */
    static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** ": code: message" of a step's Graph error body, or "" when it has none. */
    /** A step of a batch that did not answer 200, as the GraphException the same request alone would have given. */
    GraphException stepFailure(BatchResponseContent answer, String step, int code, String what) {
        ODataMessage error;
        try {
            okhttp3.Response r = answer.getResponseById(step);
            error = ODataMessage.of(r == null || r.body() == null ? null : r.body().string());
        } catch (IOException | RuntimeException e) {
            error = new ODataMessage(null, null);
        }
        return new GraphException("Graph " + what + " answered " + code + error.text() + exhausted(code) + hint(code, null), code, error.code(), null);
    }

    private static String errorOf(BatchResponseContent answer, String step) {
        try {
            okhttp3.Response r = answer.getResponseById(step);
            return ODataMessage.of(r == null || r.body() == null ? null : r.body().string()).text();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** The code and message of Graph's error body ({@code {"error": {"code", "message"}}}), null when absent. */
    private record ODataMessage(String code, String message) {

        static ODataMessage of(String body) {
            if (body == null || body.isBlank()) {
                return new ODataMessage(null, null);
            }
            try {
                com.fasterxml.jackson.databind.JsonNode error = JSON.readTree(body).path("error");
                return new ODataMessage(error.path("code").asText(null), error.path("message").asText(null));
            } catch (IOException | RuntimeException e) {
                return new ODataMessage(null, null);
            }
        }

        /** " code: message", or "" when Graph said neither. */
        String text() {
            return code == null && message == null ? "" : " " + (code == null ? "" : code) + ": " + (message == null ? "" : message);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * The photo's bytes ({@code GET /users/{id}/photo/$value}), at most {@code maxBytes}, with the
     * content type Graph sent them with.
     *
     * @throws GraphException when Graph fails or the photo is larger than {@code maxBytes}
     */
    public PhotoBytes photoBytes(String userId, int maxBytes) {
        HeadersInspectionOption headers = new HeadersInspectionOption(false, true);
        byte[] bytes = call("GET /users/{id}/photo/$value", () -> {
            try (InputStream in = client.users().byUserId(userId).photo().content().get(rc -> rc.options.add(headers))) {
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
        String type = headers.getResponseHeaders().entrySet().stream()
                .filter(h -> "Content-Type".equalsIgnoreCase(h.getKey()) && !h.getValue().isEmpty())
                .map(h -> h.getValue().iterator().next()).findFirst().orElse(null);
        return new PhotoBytes(bytes, mediaType(type));
    }

    private static String text(Map<String, Object> data, String key) {
        Object v = data == null ? null : data.get(key);
        if (v instanceof UntypedString s) {
            return s.getValue();
        }
        return v instanceof String s ? s : null;
    }

    /** Thrown inside {@link #call} for an answer that parsed but cannot be trusted. */
    static final class BrokenPage extends RuntimeException {
        BrokenPage(String message) {
            super(message);
        }
    }

    /** One call, no retries of its own (the interceptor made them): what still fails becomes a GraphException. */
    public <T> T call(String what, Supplier<T> call) {
        return call(what, null, call);
    }

    /**
     * As {@link #call(String, Supplier)}, a 403 naming {@code permission} (null: the sync's own) as the one to grant.
     */
    public <T> T call(String what, String permission, Supplier<T> call) {
        try {
            return call.get();
        } catch (GraphException e) {
            throw e;
        } catch (ODataError e) {
            int status = e.getResponseStatusCode();
            ODataMessage error = e.getError() == null ? new ODataMessage(null, e.getMessage())
                    : new ODataMessage(e.getError().getCode(), e.getError().getMessage());
            throw new GraphException("Graph " + what + " answered " + status + error.text() + exhausted(status) + hint(status, permission),
                    status, error.code(), e);
        } catch (ApiException e) {
            int status = e.getResponseStatusCode();
            throw new GraphException("Graph " + what + " answered " + status + exhausted(status) + hint(status, permission), status, null, e);
        } catch (BrokenPage e) {
            throw new GraphException("Graph " + what + " gave an answer that cannot be used: " + e.getMessage(), 0, null, e);
        } catch (RuntimeException e) { // no answer (reset, cut, timed out) or one the SDK could not parse, after the retries
            throw new GraphException("Graph " + what + " failed: " + describe(e), 0, null, e);
        }
    }

    /** For a status the interceptor retries: that it was still the answer after all of them. */
    private String exhausted(int status) {
        return GraphRetryInterceptor.retryable(status) ? " (still, after " + http.maxRetries() + " retries)" : "";
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

    private static String hint(int status, String permission) {
        if (status == 403 && permission != null) {
            return " (a permission is missing: grant the app registration " + permission + " as an application permission, with admin consent)";
        }
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

    /** A delta page carries exactly one of nextLink (more pages) and deltaLink (the round's end); anything else is an incomplete answer. */
    static void requireOneLink(String next, String delta) {
        if ((next == null) == (delta == null)) {
            throw new BrokenPage(next == null ? "neither @odata.nextLink nor @odata.deltaLink (incomplete answer)"
                    : "both @odata.nextLink and @odata.deltaLink");
        }
    }
}
