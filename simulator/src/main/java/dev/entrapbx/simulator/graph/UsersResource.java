package dev.entrapbx.simulator.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.graph.filter.FilterEvaluator;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.model.Schema;
import dev.entrapbx.simulator.model.User;

import java.util.List;
import java.util.Set;

/** {@code /users}, {@code /users/{id | userPrincipalName}} and {@code /me}. */
final class UsersResource {
    private final String baseUrl;
    private final Directory directory;
    private final PageTokens tokens;

    UsersResource(String baseUrl, Directory directory, PageTokens tokens) {
        this.baseUrl = baseUrl;
        this.directory = directory;
        this.tokens = tokens;
    }

    /** GET /users: $top (default 100, max 999), $select, $filter, $count with ConsistencyLevel: eventual. */
    Response list(GraphRequest g) {
        ODataQuery q = ODataQuery.parse(g.http(), Schema.USER, Set.of());
        q.requireAdvancedParametersWhenNeeded();
        String after = Pager.cursor(tokens, g.http().query("$skiptoken").orElse(null), g.tenantId(), "users");
        List<String> select = q.selectOrDefault(Schema.USER);
        Pager.Page page = directory.read(g.tenantId(), r -> Pager.byId(r.users(), after, q.pageSize(),
                u -> q.filter() == null || FilterEvaluator.matches(q.filter(), u),
                u -> ObjectRenderer.render(u, select, false, false), q.advanced()));
        String next = page.nextCursor() == null ? null
                : Links.next(baseUrl, g.http(), Pager.token(tokens, g.tenantId(), "users", page.nextCursor()));
        return Response.odata(200, Links.page(Links.context(baseUrl, "users", q.select()), page.count(), next,
                page.values()));
    }

    /** GET /users/{id | userPrincipalName}. */
    Response get(GraphRequest g) {
        String key = g.http().pathVariable("id");
        return single(g, directory.user(g.tenantId(), key).orElseThrow(() -> GraphException.notFound(key)));
    }

    /** GET /me (delegated tokens only). */
    Response me(GraphRequest g) {
        return single(g, signedInUser(g, directory));
    }

    private Response single(GraphRequest g, User user) {
        List<String> select = g.http().query("$select").filter(s -> !s.isBlank())
                .map(s -> ODataQuery.parseSelect(s, Schema.USER, Set.of())).orElse(null);
        ObjectNode body = ObjectRenderer.render(user, select == null ? Schema.USER.defaultSelect() : select, false, false);
        ObjectNode out = Links.collection(Links.context(baseUrl, "users", select) + "/$entity");
        out.setAll(body);
        return Response.odata(200, out);
    }

    static User signedInUser(GraphRequest g, Directory directory) {
        if (g.principal().appOnly()) {
            throw GraphException.badRequest("BadRequest", "/me request is only valid with delegated authentication flow.");
        }
        return directory.user(g.tenantId(), g.principal().objectId())
                .orElseThrow(() -> GraphException.notFound(g.principal().objectId()));
    }
}
