package dev.entrapbx.simulator.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.directory.TenantReader;
import dev.entrapbx.simulator.graph.filter.FilterEvaluator;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.model.DirectoryObject;
import dev.entrapbx.simulator.model.Group;
import dev.entrapbx.simulator.model.MemberRef;
import dev.entrapbx.simulator.model.PropertyDef;
import dev.entrapbx.simulator.model.Schema;
import dev.entrapbx.simulator.model.User;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /groups}, {@code /groups/{id}}, {@code /groups/{id}/members|transitiveMembers[/microsoft.graph.user|group]}
 * and {@code /users/{id}/memberOf|transitiveMemberOf}.
 */
final class GroupsResource {
    private static final Set<String> GROUP_PROPERTY_NAMES = Schema.GROUP.properties().stream()
            .map(d -> d.name().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());

    private final String baseUrl;
    private final Directory directory;
    private final PageTokens tokens;

    GroupsResource(String baseUrl, Directory directory, PageTokens tokens) {
        this.baseUrl = baseUrl;
        this.directory = directory;
        this.tokens = tokens;
    }

    Response list(GraphRequest g) {
        ODataQuery q = ODataQuery.parse(g.http(), Schema.GROUP, Set.of());
        q.requireAdvancedParametersWhenNeeded();
        String after = Pager.cursor(tokens, g.http().query("$skiptoken").orElse(null), g.tenantId(), "groups");
        List<String> select = q.selectOrDefault(Schema.GROUP);
        Pager.Page page = directory.read(g.tenantId(), r -> Pager.byId(r.groups(), after, q.pageSize(),
                grp -> q.filter() == null || FilterEvaluator.matches(q.filter(), grp),
                grp -> ObjectRenderer.render(grp, select, false, false), q.advanced()));
        String next = page.nextCursor() == null ? null
                : Links.next(baseUrl, g.http(), Pager.token(tokens, g.tenantId(), "groups", page.nextCursor()));
        return Response.odata(200, Links.page(Links.context(baseUrl, "groups", q.select()), page.count(), next,
                page.values()));
    }

    Response get(GraphRequest g) {
        String id = g.http().pathVariable("id");
        Group group = directory.group(g.tenantId(), id).orElseThrow(() -> GraphException.notFound(id));
        List<String> select = g.http().query("$select").filter(s -> !s.isBlank())
                .map(s -> ODataQuery.parseSelect(s, Schema.GROUP, Set.of())).orElse(null);
        ObjectNode out = Links.collection(Links.context(baseUrl, "groups", select) + "/$entity");
        out.setAll(ObjectRenderer.render(group, select == null ? Schema.GROUP.defaultSelect() : select, false, false));
        return Response.odata(200, out);
    }

    /** Direct members; {@code cast} limits to users or groups (the OData type-cast segment). */
    Response members(GraphRequest g, boolean transitive, MemberRef.Kind cast) {
        String groupId = g.http().pathVariable("id");
        String collection = (transitive ? "transitiveMembers:" : "members:") + groupId + ":" + cast;
        return directory.read(g.tenantId(), r -> {
            r.group(groupId).orElseThrow(() -> GraphException.notFound(groupId));
            List<DirectoryObject> objects = resolve(r, transitive ? transitiveMembers(r, groupId) : r.members(groupId), cast);
            return pageOf(g, objects, collection,
                    cast == null ? null : cast == MemberRef.Kind.USER ? Schema.USER : Schema.GROUP,
                    "directoryObjects");
        });
    }

    /** Groups the user is a (direct or transitive) member of. */
    Response memberOf(GraphRequest g, boolean transitive) {
        String userKey = g.http().pathVariable("id");
        return directory.read(g.tenantId(), r -> {
            User user = r.user(userKey).orElseThrow(() -> GraphException.notFound(userKey));
            Set<String> groupIds = transitive ? transitiveParents(r, user.id()) : r.memberOf(user.id());
            List<DirectoryObject> groups = new ArrayList<>();
            groupIds.stream().sorted().forEach(id -> r.group(id).ifPresent(groups::add));
            return pageOf(g, groups, (transitive ? "transitiveMemberOf:" : "memberOf:") + user.id(), Schema.GROUP,
                    "directoryObjects");
        });
    }

    private Response pageOf(GraphRequest g, List<DirectoryObject> objects, String collection, Schema castSchema,
                            String entitySet) {
        if (g.http().hasQuery("$filter")) {
            throw GraphException.unsupportedQuery("$filter on membership collections is not supported by the simulator.");
        }
        ODataQuery q = ODataQuery.parse(g.http(), castSchema != null ? castSchema : Schema.USER,
                castSchema != null ? Set.of() : GROUP_PROPERTY_NAMES);
        String cursor = Pager.cursor(tokens, g.http().query("$skiptoken").orElse(null), g.tenantId(), collection);
        int offset = cursor == null ? 0 : Integer.parseInt(cursor);
        Pager.Page page = Pager.byOffset(objects, offset, q.pageSize(), o -> ObjectRenderer.render(o,
                q.select() != null ? canonical(q.select(), o.schema()) : o.schema().defaultSelect(), false, true),
                q.advanced());
        String next = page.nextCursor() == null ? null
                : Links.next(baseUrl, g.http(), Pager.token(tokens, g.tenantId(), collection, page.nextCursor()));
        return Response.odata(200, Links.page(Links.context(baseUrl, entitySet, q.select()), page.count(), next,
                page.values()));
    }

    private static List<String> canonical(List<String> select, Schema schema) {
        List<String> out = new ArrayList<>();
        for (String s : select) {
            schema.property(s).map(PropertyDef::name).ifPresent(out::add);
        }
        return out;
    }

    private static List<DirectoryObject> resolve(TenantReader r, List<MemberRef> refs, MemberRef.Kind cast) {
        List<DirectoryObject> out = new ArrayList<>(refs.size());
        for (MemberRef ref : refs) {
            if (cast != null && ref.kind() != cast) {
                continue;
            }
            Optional<? extends DirectoryObject> o = ref.kind() == MemberRef.Kind.USER
                    ? r.users().containsKey(ref.id()) ? Optional.of(r.users().get(ref.id())) : Optional.empty()
                    : r.group(ref.id());
            o.ifPresent(out::add);
        }
        return out;
    }

    /** Every user and group reachable through nested membership, each once (cycles are tolerated). */
    private static List<MemberRef> transitiveMembers(TenantReader r, String groupId) {
        LinkedHashSet<MemberRef> out = new LinkedHashSet<>();
        Set<String> visited = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(groupId);
        visited.add(groupId);
        while (!queue.isEmpty()) {
            for (MemberRef m : r.members(queue.poll())) {
                if (m.kind() == MemberRef.Kind.GROUP) {
                    if (visited.add(m.id())) {
                        out.add(m);
                        queue.add(m.id());
                    }
                } else {
                    out.add(m);
                }
            }
        }
        return new ArrayList<>(out);
    }

    private static Set<String> transitiveParents(TenantReader r, String memberId) {
        Set<String> out = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>(r.memberOf(memberId));
        while (!queue.isEmpty()) {
            String id = queue.poll();
            if (out.add(id)) {
                queue.addAll(r.memberOf(id));
            }
        }
        return out;
    }
}
