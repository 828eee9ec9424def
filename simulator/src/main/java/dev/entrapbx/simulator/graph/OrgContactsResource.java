package dev.entrapbx.simulator.graph;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.contacts.ContactsStore;
import dev.entrapbx.simulator.contacts.OrgContact;
import dev.entrapbx.simulator.contacts.OrgContactStore;
import dev.entrapbx.simulator.contacts.Phone;
import dev.entrapbx.simulator.contacts.PhysicalAddress;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.json.Json;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Organizational contacts: {@code GET /contacts} (keyset pages, $top default 100 up to 999, $select),
 * {@code /contacts/{id}} and {@code /contacts/delta} as directory objects answer them
 * (https://learn.microsoft.com/graph/api/orgcontact-list, orgcontact-get, orgcontact-delta): $select limits what is
 * tracked, {@code Prefer: return=minimal} returns changed properties only, {@code $filter=id eq '..'} (joined with
 * or, at most 50), deleted contacts come as {@code {"id", "@removed": {"reason": "deleted"}}} and an expired token is
 * 400 syncStateNotFound.
 */
final class OrgContactsResource {
    private static final Pattern ID_EQ = Pattern.compile("(?i)\\s*id\\s+eq\\s+'([^']+)'\\s*");

    private final String baseUrl;
    private final ContactsStore store;
    private final PageTokens tokens;

    OrgContactsResource(String baseUrl, ContactsStore store, PageTokens tokens) {
        this.baseUrl = baseUrl;
        this.store = store;
        this.tokens = tokens;
    }

    Response list(GraphRequest g) {
        for (String unsupported : List.of("$orderby", "$search", "$filter", "$expand")) {
            if (g.http().hasQuery(unsupported)) {
                throw GraphException.unsupportedQuery("The query option " + unsupported
                        + " is not supported on organizational contacts by the Entra simulator.");
            }
        }
        List<String> select = select(g.http());
        int top = g.http().query("$top").map(OrgContactsResource::top).orElse(ODataQuery.DEFAULT_PAGE);
        String after = Pager.cursor(tokens, g.http().query("$skiptoken").orElse(null), g.tenantId(), "contacts");
        OrgContactStore s = store.orgContacts(g.tenantId());
        Pager.Page page = s.read(r -> Pager.byId(r.contacts(), after, top, e -> true,
                e -> render(e.contact(), select == null ? OrgContact.PROPERTIES : select, false), false));
        String next = page.nextCursor() == null ? null
                : Links.next(baseUrl, g.http(), Pager.token(tokens, g.tenantId(), "contacts", page.nextCursor()));
        return Response.odata(200, Links.page(Links.context(baseUrl, "contacts", select), null, next, page.values()));
    }

    Response get(GraphRequest g) {
        String id = g.http().pathVariable("id");
        List<String> select = select(g.http());
        OrgContact c = store.orgContacts(g.tenantId()).read(r -> r.get(id)).orElseThrow(() -> GraphException.notFound(id));
        ObjectNode out = Links.collection(Links.context(baseUrl, "contacts", select) + "/$entity");
        out.setAll(render(c, select == null ? OrgContact.PROPERTIES : select, false));
        return Response.odata(200, out);
    }

    // ------------------------------------------------------------------ delta

    Response delta(GraphRequest g) {
        Request req = g.http();
        Prefer prefer = Prefer.of(req);
        OrgContactStore s = store.orgContacts(g.tenantId());
        return s.read(r -> {
            State state = state(g, r);
            int pageSize = Math.max(1, Math.min(ODataQuery.MAX_PAGE, prefer.maxPageSize() != null
                    ? prefer.maxPageSize() : ODataQuery.DEFAULT_PAGE));
            List<String> tracked = state.select() != null ? state.select() : OrgContact.PROPERTIES;
            List<ObjectNode> values = new ArrayList<>();
            State next = null;
            final long roundFrom = state.from();
            if (state.phase().equals("C")) {
                String last = state.cursor();
                Map<String, OrgContactStore.Entry> view = last == null ? r.contacts() : r.contacts().tailMap(last, false);
                for (OrgContactStore.Entry e : view.values()) {
                    if (state.ids() != null && !state.ids().contains(e.contact().id())) {
                        continue;
                    }
                    long change = state.from() == 0 ? e.createdSeq() : e.lastChange(tracked);
                    if (change <= state.from() || change > state.to()) {
                        continue;
                    }
                    if (values.size() == pageSize) {
                        next = state.with("C", last);
                        break;
                    }
                    boolean created = e.createdSeq() > state.from();
                    List<String> props = tracked;
                    if (!created && prefer.returnMinimal()) {
                        props = tracked.stream().filter(p -> e.changedAt().getOrDefault(p, 0L) > roundFrom).toList();
                    }
                    values.add(render(e.contact(), props, !(prefer.returnMinimal() && !created)));
                    last = e.contact().id();
                }
                if (next == null) {
                    state = state.with("R", String.valueOf(state.from()));
                }
            }
            if (next == null && state.phase().equals("R") && state.from() > 0) {
                long last = Long.parseLong(state.cursor());
                for (Map.Entry<Long, String> e : r.removed().subMap(last, false, state.to(), true).entrySet()) {
                    if (state.ids() != null && !state.ids().contains(e.getValue())) {
                        continue;
                    }
                    if (values.size() == pageSize) {
                        next = state.with("R", String.valueOf(last));
                        break;
                    }
                    ObjectNode n = Json.object().put("id", e.getValue());
                    n.putObject("@removed").put("reason", "deleted");
                    values.add(n);
                    last = e.getKey();
                }
            }
            ObjectNode body = Json.object();
            body.put("@odata.context", Links.context(baseUrl, "contacts", state.select()));
            String url = baseUrl + req.path();
            if (next != null) {
                body.put("@odata.nextLink", url + "?$skiptoken=" + enc(tokens.seal(next.toJson())));
            } else {
                body.put("@odata.deltaLink", url + "?$deltatoken=" + enc(tokens.seal(
                        state.with("L", null).round(state.to(), 0).toJson())));
            }
            ArrayNode arr = body.putArray("value");
            values.forEach(arr::add);
            Response response = Response.odata(200, body);
            String applied = prefer.applied(pageSize);
            if (applied != null) {
                response.header("Preference-Applied", applied);
            }
            return response;
        });
    }

    private State state(GraphRequest g, OrgContactStore r) {
        Request req = g.http();
        String skip = req.query("$skiptoken").orElse(null);
        String delta = req.query("$deltatoken").orElse(null);
        if (skip == null && (delta == null || delta.isEmpty())) {
            List<String> ids = req.query("$filter").filter(f -> !f.isBlank()).map(OrgContactsResource::ids).orElse(null);
            return new State(g.tenantId(), r.epoch(), r.expiryGeneration(), "C", 0, r.head(), null, select(req), ids);
        }
        if (delta != null && delta.equalsIgnoreCase("latest")) {
            return new State(g.tenantId(), r.epoch(), r.expiryGeneration(), "R", r.head(), r.head(),
                    String.valueOf(r.head()), select(req), null);
        }
        State s = tokens.open(skip != null ? skip : delta).map(State::fromJson).orElseThrow(OrgContactsResource::expired);
        if (!s.tenantId().equals(g.tenantId()) || s.epoch() != r.epoch() || s.generation() != r.expiryGeneration()
                || (skip != null) == s.phase().equals("L")) {
            throw expired();
        }
        return skip != null ? s : s.with("C", null).round(s.from(), r.head());
    }

    private static List<String> ids(String filter) {
        List<String> out = new ArrayList<>();
        for (String part : filter.split("(?i)\\s+or\\s+")) {
            Matcher m = ID_EQ.matcher(part);
            if (!m.matches()) {
                throw GraphException.unsupportedQuery("Unsupported query: delta supports only $filter=id eq '{id}' "
                        + "(joined with or).");
            }
            out.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        if (out.size() > 50) {
            throw GraphException.unsupportedQuery("Too many ids in $filter: the limit is 50.");
        }
        return out;
    }

    /** Same answer as users/groups delta: 400 syncStateNotFound. */
    private static GraphException expired() {
        return new GraphException(400, "syncStateNotFound",
                "The sync state generation is not found. The delta token is expired and data must be synchronized again.");
    }

    /** Delta position: phase C (contacts after id cursor), R (removals after change cursor), L (delta link). */
    private record State(String tenantId, long epoch, long generation, String phase, long from, long to, String cursor,
                         List<String> select, List<String> ids) {
        State with(String p, String c) {
            return new State(tenantId, epoch, generation, p, from, to, c, select, ids);
        }

        State round(long newFrom, long newTo) {
            return new State(tenantId, epoch, generation, phase, newFrom, newTo, cursor, select, ids);
        }

        ObjectNode toJson() {
            ObjectNode o = Json.object().put("t", tenantId).put("e", epoch).put("x", generation).put("p", phase)
                    .put("a", from).put("b", to);
            if (cursor != null) {
                o.put("c", cursor);
            }
            if (select != null) {
                ArrayNode a = o.putArray("s");
                select.forEach(a::add);
            }
            if (ids != null) {
                ArrayNode a = o.putArray("i");
                ids.forEach(a::add);
            }
            return o.put("k", "orgContacts");
        }

        static State fromJson(com.fasterxml.jackson.databind.JsonNode o) {
            if (!"orgContacts".equals(o.path("k").asText())) {
                throw expired();
            }
            List<String> select = null;
            if (o.path("s").isArray()) {
                select = new ArrayList<>();
                for (var n : o.get("s")) {
                    select.add(n.asText());
                }
            }
            List<String> ids = null;
            if (o.path("i").isArray()) {
                ids = new ArrayList<>();
                for (var n : o.get("i")) {
                    ids.add(n.asText());
                }
            }
            return new State(o.path("t").asText(), o.path("e").asLong(), o.path("x").asLong(), o.path("p").asText(),
                    o.path("a").asLong(), o.path("b").asLong(), o.hasNonNull("c") ? o.get("c").asText() : null,
                    select, ids);
        }
    }

    // ------------------------------------------------------------------ rendering

    /** @param omitNulls delta's default form leaves out unset properties; GET writes null */
    static ObjectNode render(OrgContact c, List<String> props, boolean omitNulls) {
        ObjectNode n = Json.object();
        n.put("id", c.id());
        for (String p : props) {
            switch (p) {
                case "id" -> { }
                case "addresses" -> {
                    ArrayNode a = n.putArray(p);
                    for (PhysicalAddress x : c.addresses()) {
                        ObjectNode o = a.addObject();
                        o.put("city", x.city());
                        o.put("countryOrRegion", x.countryOrRegion());
                        o.put("officeLocation", x.officeLocation());
                        o.put("postalCode", x.postalCode());
                        o.put("state", x.state());
                        o.put("street", x.street());
                    }
                }
                case "phones" -> {
                    ArrayNode a = n.putArray(p);
                    for (Phone x : c.phones()) {
                        a.addObject().put("number", x.number()).put("type", x.type());
                    }
                }
                case "proxyAddresses" -> {
                    ArrayNode a = n.putArray(p);
                    c.proxyAddresses().forEach(a::add);
                }
                case "onPremisesProvisioningErrors" -> n.putArray(p);
                default -> {
                    String v = switch (p) {
                        case "companyName" -> c.companyName();
                        case "department" -> c.department();
                        case "displayName" -> c.displayName();
                        case "givenName" -> c.givenName();
                        case "jobTitle" -> c.jobTitle();
                        case "mail" -> c.mail();
                        case "mailNickname" -> c.mailNickname();
                        case "surname" -> c.surname();
                        default -> null;
                    };
                    if (v != null) {
                        n.put(p, v);
                    } else if (!omitNulls) {
                        n.putNull(p);
                    }
                }
            }
        }
        return n;
    }

    private static List<String> select(Request req) {
        String raw = req.query("$select").filter(s -> !s.isBlank()).orElse(null);
        if (raw == null) {
            return null;
        }
        Set<String> chosen = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String part : raw.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (OrgContact.PROPERTIES.stream().noneMatch(p -> p.equalsIgnoreCase(name))) {
                throw GraphException.badRequest("BadRequest", "Could not find a property named '" + name
                        + "' on type 'microsoft.graph.orgContact'.");
            }
            chosen.add(name);
        }
        return OrgContact.PROPERTIES.stream().filter(chosen::contains).toList();
    }

    private static int top(String raw) {
        try {
            int n = Integer.parseInt(raw.trim());
            if (n < 1 || n > ODataQuery.MAX_PAGE) {
                throw GraphException.unsupportedQuery("Invalid page size specified: '" + n
                        + "'. Must be between 1 and " + ODataQuery.MAX_PAGE + " inclusive.");
            }
            return n;
        } catch (NumberFormatException e) {
            throw GraphException.badRequest("BadRequest", "Invalid value '" + raw + "' for query option $top.");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
