package dev.entrapbx.simulator.graph;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.directory.ChangeEvent.ChangeType;
import dev.entrapbx.simulator.directory.ChangeEvent;
import dev.entrapbx.simulator.directory.ChangeHistory;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.directory.TenantReader;
import dev.entrapbx.simulator.graph.filter.FilterAnalysis;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.model.DirectoryObject;
import dev.entrapbx.simulator.model.MemberRef;
import dev.entrapbx.simulator.model.Schema;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /users/delta} and {@code /groups/delta} (also spelled {@code delta()} and {@code microsoft.graph.delta()}),
 * per https://learn.microsoft.com/graph/delta-query-overview and the user/group delta API pages.
 *
 * <p>The first round pages through the current objects in id order (keyset paging); later rounds read the
 * tenant's change log between two sequence numbers, reporting each changed object once per round. Tokens hold
 * positions only. Decisions where the documentation leaves room are listed in the simulator README.
 */
final class DeltaResource {
    private static final int MAX_IDS = 50;

    /** The two delta-enabled collections. */
    enum Target {
        USERS("users", Schema.USER, ChangeEvent.ResourceKind.USER),
        GROUPS("groups", Schema.GROUP, ChangeEvent.ResourceKind.GROUP);

        final String name;
        final Schema schema;
        final ChangeEvent.ResourceKind kind;

        Target(String name, Schema schema, ChangeEvent.ResourceKind kind) {
            this.name = name;
            this.schema = schema;
            this.kind = kind;
        }
    }

    private final String baseUrl;
    private final Directory directory;
    private final PageTokens tokens;

    DeltaResource(String baseUrl, Directory directory, PageTokens tokens) {
        this.baseUrl = baseUrl;
        this.directory = directory;
        this.tokens = tokens;
    }

    Response delta(GraphRequest g, Target c) {
        Request req = g.http();
        Prefer prefer = Prefer.of(req);
        String skipToken = req.query("$skiptoken").orElse(null);
        String deltaToken = req.query("$deltatoken").orElse(null);
        return directory.read(g.tenantId(), r -> {
            DeltaState state;
            if (skipToken != null) {
                state = open(skipToken, r, c, g.tenantId(), req);
                if (state.phase() == DeltaState.Phase.LINK) {
                    throw syncStateNotFound();
                }
            } else if (deltaToken != null && !deltaToken.isEmpty()) {
                if (deltaToken.equalsIgnoreCase("latest")) {
                    // "sync from now": a delta link and no data (delta query overview)
                    DeltaState initial = initial(req, r, c, g.tenantId());
                    return page(req, c, initial, List.of(), null,
                            initial.next(DeltaState.Phase.LINK, r.changes().head(), 0, null, 0), prefer, null);
                }
                DeltaState link = open(deltaToken, r, c, g.tenantId(), req);
                if (link.phase() != DeltaState.Phase.LINK) {
                    throw syncStateNotFound();
                }
                state = link.next(DeltaState.Phase.CHANGES, link.from(), r.changes().head(),
                        String.valueOf(link.from()), 0);
            } else {
                state = initial(req, r, c, g.tenantId());
            }
            int pageSize = Math.max(1, Math.min(ODataQuery.MAX_PAGE, prefer.maxPageSize() != null
                    ? prefer.maxPageSize() : state.pageSize() != null ? state.pageSize() : ODataQuery.DEFAULT_PAGE));
            return state.phase() == DeltaState.Phase.SNAPSHOT
                    ? snapshotPage(req, r, c, state, pageSize, prefer)
                    : changesPage(req, r, c, state, pageSize, prefer);
        });
    }

    // ------------------------------------------------------------------ first round

    private Response snapshotPage(Request req, TenantReader r, Target c, DeltaState state, int pageSize,
                                  Prefer prefer) {
        List<String> returned = returnedProperties(c, state);
        List<ObjectNode> values = new ArrayList<>();
        int budget = pageSize;
        DeltaState next = null;
        Iterator<? extends DirectoryObject> it = snapshotCandidates(r, c, state).iterator();
        while (it.hasNext()) {
            DirectoryObject o = it.next();
            if (budget <= 0) {
                next = state.next(DeltaState.Phase.SNAPSHOT, state.from(), 0, lastId(values, state), 0);
                break;
            }
            ObjectNode node = withId(ObjectRenderer.render(o, returned, true, false), o.id());
            budget--;
            if (c == Target.GROUPS && state.membersTracked()) {
                List<MemberRef> members = r.members(o.id());
                int start = o.id().equals(state.cursor()) ? state.memberOffset() : 0;
                int end = Math.min(members.size(), start + Math.max(1, budget));
                ArrayNode arr = node.putArray("members@delta");
                for (MemberRef m : members.subList(Math.min(start, members.size()), end)) {
                    arr.addObject().put("@odata.type", m.kind().odataType()).put("id", m.id());
                }
                budget -= end - start;
                if (end < members.size()) {
                    values.add(node);
                    next = state.next(DeltaState.Phase.SNAPSHOT, state.from(), 0, o.id(), end);
                    break;
                }
            }
            values.add(node);
        }
        DeltaState link = next == null ? state.next(DeltaState.Phase.LINK, state.from(), 0, null, 0) : null;
        return page(req, c, state, values, next, link, prefer, pageSize);
    }

    /** Objects of the first round after the cursor (inclusive when a large group is being continued). */
    private static Iterable<? extends DirectoryObject> snapshotCandidates(TenantReader r, Target c, DeltaState s) {
        NavigableMap<String, ? extends DirectoryObject> all = c == Target.USERS ? r.users() : r.groups();
        NavigableMap<String, ? extends DirectoryObject> view = s.cursor() == null ? all
                : all.tailMap(s.cursor(), s.memberOffset() > 0);
        if (s.ids() == null) {
            return view.values();
        }
        List<DirectoryObject> out = new ArrayList<>();
        for (String id : new TreeSet<>(s.ids())) {
            DirectoryObject o = view.get(id);
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    private static String lastId(List<ObjectNode> values, DeltaState state) {
        return values.isEmpty() ? state.cursor() : values.get(values.size() - 1).path("id").asText();
    }

    // ------------------------------------------------------------------ later rounds

    /** What happened to one object during a round. */
    private record Summary(String id, ChangeType lastType, boolean created, Set<String> changed,
                           Map<MemberRef, Boolean> memberChanges) { }

    private Response changesPage(Request req, TenantReader r, Target c, DeltaState state, int pageSize,
                                 Prefer prefer) {
        ChangeHistory log = r.changes();
        List<String> returned = returnedProperties(c, state);
        Set<String> tracked = state.select() != null ? new TreeSet<>(returnedProperties(c, state))
                : new TreeSet<>(c.schema.allNames());
        List<ObjectNode> values = new ArrayList<>();
        int budget = pageSize;
        long position = Long.parseLong(state.cursor());
        DeltaState next = null;
        for (long seq = position + 1; seq <= state.to(); seq++) {
            ChangeEvent e = log.get(seq);
            if (e == null) {
                throw syncStateNotFound();
            }
            if (e.resource() != c.kind || (state.ids() != null && !state.ids().contains(e.objectId()))
                    || !isLastOfRound(log, e, state.to())) {
                continue;
            }
            Summary s = summarize(log, e, state.from());
            if (!relevant(s, c, state, tracked)) {
                continue;
            }
            if (budget <= 0) {
                next = state.next(DeltaState.Phase.CHANGES, state.from(), state.to(), String.valueOf(seq - 1), 0);
                break;
            }
            ObjectNode node = emit(r, c, s, returned, prefer.returnMinimal());
            budget--;
            List<Map.Entry<MemberRef, Boolean>> members = new ArrayList<>(s.memberChanges().entrySet());
            if (c == Target.GROUPS && state.membersTracked() && !members.isEmpty() && !node.has("@removed")) {
                int start = seq == position + 1 ? state.memberOffset() : 0;
                int end = Math.min(members.size(), start + Math.max(1, budget));
                ArrayNode arr = node.putArray("members@delta");
                for (Map.Entry<MemberRef, Boolean> m : members.subList(Math.min(start, members.size()), end)) {
                    ObjectNode entry = arr.addObject().put("@odata.type", m.getKey().kind().odataType())
                            .put("id", m.getKey().id());
                    if (!m.getValue()) {
                        entry.putObject("@removed").put("reason", "deleted");
                    }
                }
                budget -= end - start;
                if (end < members.size()) {
                    values.add(node);
                    next = state.next(DeltaState.Phase.CHANGES, state.from(), state.to(), String.valueOf(seq - 1), end);
                    break;
                }
            }
            values.add(node);
        }
        DeltaState link = next == null ? state.next(DeltaState.Phase.LINK, state.to(), 0, null, 0) : null;
        return page(req, c, state, values, next, link, prefer, pageSize);
    }

    /** An object is reported at its last event of the round, so it appears once per round. */
    private static boolean isLastOfRound(ChangeHistory log, ChangeEvent e, long to) {
        long last = log.lastSeqOf(e.resource(), e.objectId());
        while (last > to) {
            ChangeEvent later = log.get(last);
            if (later == null) {
                return false;
            }
            last = later.previousSeq();
        }
        return last == e.seq();
    }

    private static Summary summarize(ChangeHistory log, ChangeEvent last, long from) {
        boolean created = false;
        Set<String> changed = new TreeSet<>();
        LinkedHashMap<MemberRef, Boolean> newestFirst = new LinkedHashMap<>();
        long seq = last.seq();
        while (seq > from) {
            ChangeEvent e = log.get(seq);
            if (e == null) {
                break;
            }
            switch (e.type()) {
                case CREATED, RESTORED -> created = true;
                case UPDATED -> changed.addAll(e.changedProperties());
                case MEMBER_ADDED -> newestFirst.putIfAbsent(e.member(), true);
                case MEMBER_REMOVED -> newestFirst.putIfAbsent(e.member(), false);
                default -> { }
            }
            seq = e.previousSeq();
        }
        List<Map.Entry<MemberRef, Boolean>> entries = new ArrayList<>(newestFirst.entrySet());
        LinkedHashMap<MemberRef, Boolean> chronological = new LinkedHashMap<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            chronological.put(entries.get(i).getKey(), entries.get(i).getValue());
        }
        return new Summary(last.objectId(), last.type(), created, changed, chronological);
    }

    /**
     * Deletions and creations always count; updates only when a tracked property changed ($select limits
     * tracking, https://learn.microsoft.com/graph/delta-query-overview); membership only when members are tracked.
     */
    private static boolean relevant(Summary s, Target c, DeltaState state, Set<String> tracked) {
        if (s.lastType() == ChangeType.SOFT_DELETED || s.lastType() == ChangeType.HARD_DELETED || s.created()) {
            return true;
        }
        for (String p : s.changed()) {
            if (tracked.contains(p)) {
                return true;
            }
        }
        return c == Target.GROUPS && state.membersTracked() && !s.memberChanges().isEmpty();
    }

    /**
     * Default: the object with all returned properties that have a value ("If the property has not changed, the
     * old value is included"). With Prefer: return=minimal only changed properties, nulls included
     * (https://learn.microsoft.com/graph/api/user-delta#response).
     */
    private static ObjectNode emit(TenantReader r, Target c, Summary s, List<String> returned, boolean minimal) {
        DirectoryObject current = c == Target.USERS ? r.users().get(s.id()) : r.groups().get(s.id());
        if (s.lastType() == ChangeType.SOFT_DELETED || s.lastType() == ChangeType.HARD_DELETED || current == null) {
            boolean restorable = s.lastType() == ChangeType.SOFT_DELETED
                    || (s.lastType() != ChangeType.HARD_DELETED && c == Target.USERS
                    && r.deletedUsers().containsKey(s.id()));
            ObjectNode node = Json.object().put("id", s.id());
            // "changed": deleted, restorable from deleted items; "deleted": permanently deleted.
            node.putObject("@removed").put("reason", restorable ? "changed" : "deleted");
            return node;
        }
        if (minimal && !s.created()) {
            List<String> changedReturned = returned.stream().filter(s.changed()::contains).toList();
            return withId(ObjectRenderer.render(current, changedReturned, false, false), s.id());
        }
        return withId(ObjectRenderer.render(current, returned, true, false), s.id());
    }

    // ------------------------------------------------------------------ request/response plumbing

    private DeltaState initial(Request req, TenantReader r, Target c, String tenantId) {
        for (String unsupported : List.of("$orderby", "$expand", "$search", "$count")) {
            if (req.hasQuery(unsupported)) {
                throw GraphException.unsupportedQuery("The query option " + unsupported + " is not supported for "
                        + c.name + " delta.");
            }
        }
        List<String> select = req.query("$select").filter(s -> !s.isBlank())
                .map(s -> ODataQuery.parseSelect(s, c.schema, c == Target.GROUPS ? Set.of("members") : Set.of()))
                .orElse(null);
        boolean membersTracked = c == Target.GROUPS && (select == null || select.contains("members"));
        if (select != null) {
            select = select.stream().filter(p -> !p.equals("members")).toList();
        }
        List<String> ids = req.query("$filter").filter(f -> !f.isBlank()).map(f -> {
            List<String> found = FilterAnalysis.onlyIds(ODataQuery.parseFilter(f, c.schema)).orElseThrow(() ->
                    GraphException.unsupportedQuery("Unsupported query: delta supports only $filter=id eq '{id}' "
                            + "(joined with or) or id in (...)."));
            if (found.size() > MAX_IDS) {
                throw GraphException.unsupportedQuery("Too many ids in $filter: the limit is " + MAX_IDS + ".");
            }
            return found;
        }).orElse(null);
        Integer top = req.query("$top").map(t -> {
            try {
                return Integer.parseInt(t.trim());
            } catch (NumberFormatException e) {
                throw GraphException.badRequest("BadRequest", "Invalid value '" + t + "' for query option $top.");
            }
        }).orElse(null);
        long head = r.changes().head();
        return new DeltaState(tenantId, c.name, r.deltaEpoch(), r.deltaExpiryGeneration(), r.deltaResyncGeneration(),
                DeltaState.Phase.SNAPSHOT, head, 0, null, 0, select, membersTracked, ids, top);
    }

    private DeltaState open(String token, TenantReader r, Target c, String tenantId, Request req) {
        DeltaState s;
        try {
            s = tokens.open(token).map(DeltaState::fromJson).orElseThrow(DeltaResource::syncStateNotFound);
        } catch (IllegalArgumentException e) {
            throw syncStateNotFound();
        }
        if (!s.tenantId().equals(tenantId) || !s.collection().equals(c.name) || s.epoch() != r.deltaEpoch()
                || s.expiryGeneration() != r.deltaExpiryGeneration()) {
            throw syncStateNotFound();
        }
        if (s.resyncGeneration() != r.deltaResyncGeneration()) {
            throw resyncRequired(req, s);
        }
        return s;
    }

    private Response page(Request req, Target c, DeltaState state, List<ObjectNode> values, DeltaState next,
                          DeltaState link, Prefer prefer, Integer pageSize) {
        ObjectNode body = Json.object();
        body.put("@odata.context", Links.context(baseUrl, c.name, state.select()));
        String url = baseUrl + req.path();
        if (next != null) {
            body.put("@odata.nextLink", url + "?$skiptoken=" + URLEncoder.encode(tokens.seal(next.toJson()),
                    StandardCharsets.UTF_8));
        } else {
            body.put("@odata.deltaLink", url + "?$deltatoken=" + URLEncoder.encode(tokens.seal(link.toJson()),
                    StandardCharsets.UTF_8));
        }
        ArrayNode arr = body.putArray("value");
        values.forEach(arr::add);
        Response response = Response.odata(200, body);
        String applied = prefer.applied(pageSize);
        if (applied != null) {
            response.header("Preference-Applied", applied);
        }
        return response;
    }

    private static List<String> returnedProperties(Target c, DeltaState state) {
        return state.select() != null ? state.select() : c.schema.defaultSelect();
    }

    private static ObjectNode withId(ObjectNode node, String id) {
        node.remove("id");
        node.put("id", id);
        return node;
    }

    /** 400 syncStateNotFound: https://devblogs.microsoft.com/microsoft365dev/duration-of-change-tracking-tokens-for-identity-and-education-resources/ */
    private static GraphException syncStateNotFound() {
        return new GraphException(400, "syncStateNotFound",
                "The sync state generation is not found. The delta token is expired and data must be synchronized again.");
    }

    /** 410 Gone with a Location of the initial query: https://learn.microsoft.com/graph/delta-query-overview#synchronization-reset */
    private GraphException resyncRequired(Request req, DeltaState s) {
        StringBuilder location = new StringBuilder(baseUrl + req.path() + "?$deltatoken=");
        List<String> select = new ArrayList<>();
        if (s.select() != null) {
            select.addAll(s.select());
        }
        if (s.membersTracked() && s.select() != null) {
            select.add("members");
        }
        if (!select.isEmpty()) {
            location.append("&$select=").append(URLEncoder.encode(String.join(",", select), StandardCharsets.UTF_8));
        }
        if (s.ids() != null) {
            String filter = "id in (" + String.join(",", s.ids().stream().map(i -> "'" + i + "'").toList()) + ")";
            location.append("&$filter=").append(URLEncoder.encode(filter, StandardCharsets.UTF_8));
        }
        return new GraphException(410, "resyncRequired", "The delta token is no longer valid: the application must "
                + "restart with a full synchronization.", Map.of("Location", location.toString()));
    }
}
