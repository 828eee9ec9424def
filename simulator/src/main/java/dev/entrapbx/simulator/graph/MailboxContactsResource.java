package dev.entrapbx.simulator.graph;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.contacts.ContactFields;
import dev.entrapbx.simulator.contacts.ContactFolder;
import dev.entrapbx.simulator.contacts.ContactsStore;
import dev.entrapbx.simulator.contacts.EmailAddress;
import dev.entrapbx.simulator.contacts.Mailbox;
import dev.entrapbx.simulator.contacts.OutlookIds;
import dev.entrapbx.simulator.contacts.PhysicalAddress;
import dev.entrapbx.simulator.contacts.StoredContact;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.model.User;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Outlook personal contacts of a mailbox, as Graph v1.0 serves them: {@code /users/{id|upn}/contactFolders} (+
 * {@code /childFolders}, {@code /delta}), {@code .../contactFolders/{id}/contacts} (+ {@code /delta}, by id) and
 * {@code /users/{id|upn}/contacts} for the default Contacts folder (also {@code /contacts/delta}, which Graph serves
 * though it documents only the per-folder form). Pages of collections use {@code $top} (default 10) and
 * {@code $skip} as Outlook does; delta pages honour {@code Prefer: odata.maxpagesize} (default 10, at most 200) and
 * carry their position in sealed tokens.
 *
 * <p>https://learn.microsoft.com/graph/api/resources/contact, contact-delta, contactfolder-delta,
 * user-list-contactfolders, user-list-contacts, delta-query-messages (the Outlook delta shape).
 */
final class MailboxContactsResource {
    static final int LIST_PAGE = 10;
    static final int LIST_MAX = 1000;
    static final int DELTA_PAGE = 10;
    static final int DELTA_MAX = 200;

    /** Contact properties in the order Graph returns them. */
    static final List<String> CONTACT_PROPERTIES = List.of("createdDateTime", "lastModifiedDateTime", "changeKey",
            "categories", "parentFolderId", "birthday", "fileAs", "displayName", "givenName", "initials", "middleName",
            "nickName", "surname", "title", "yomiGivenName", "yomiSurname", "yomiCompanyName", "generation",
            "imAddresses", "jobTitle", "companyName", "department", "officeLocation", "profession",
            "businessHomePage", "assistantName", "manager", "homePhones", "mobilePhone", "businessPhones",
            "spouseName", "personalNotes", "children", "emailAddresses", "homeAddress", "businessAddress",
            "otherAddress");
    static final List<String> FOLDER_PROPERTIES = List.of("displayName", "parentFolderId");
    private static final Pattern EMAIL_FILTER = Pattern.compile(
            "(?i)\\s*emailAddresses/any\\(\\s*(\\w+)\\s*:\\s*\\1/address\\s+eq\\s+'([^']*)'\\s*\\)\\s*");

    private final String baseUrl;
    private final Directory directory;
    private final ContactsStore store;
    private final PageTokens tokens;

    MailboxContactsResource(String baseUrl, Directory directory, ContactsStore store, PageTokens tokens) {
        this.baseUrl = baseUrl;
        this.directory = directory;
        this.store = store;
        this.tokens = tokens;
    }

    // ------------------------------------------------------------------ folders

    /**
     * GET /users/{id}/contactFolders: as Graph documents it, "the contact folder collection in the
     * default Contacts folder" (its child folders; the default folder itself is read at
     * /users/{id}/contacts or under its well-known name, contactFolders/contacts).
     */
    Response folders(GraphRequest g) {
        Mailbox m = mailbox(g);
        return m.read(x -> folderList(g, x, Mailbox.DEFAULT_FOLDER, context(g, "/contactFolders")));
    }

    /** GET /users/{id}/contactFolders/{id}/childFolders. */
    Response childFolders(GraphRequest g) {
        Mailbox m = mailbox(g);
        return m.read(x -> {
            long parent = folderSeq(x, g.http().pathVariable("fid"));
            return folderList(g, x, parent, context(g, "/contactFolders('" + g.http().pathVariable("fid")
                    + "')/childFolders"));
        });
    }

    /** GET /users/{id}/contactFolders/{id} (also .../childFolders/{id}). */
    Response folder(GraphRequest g) {
        Mailbox m = mailbox(g);
        return m.read(x -> {
            String key = g.http().pathVariables().containsKey("cfid") ? "cfid" : "fid";
            long seq = folderSeq(x, g.http().pathVariable(key));
            ObjectNode out = Links.collection(context(g, "/contactFolders") + "/$entity");
            out.setAll(renderFolder(x, x.folder(seq).orElseThrow(), select(g.http(), FOLDER_PROPERTIES), false));
            return Response.odata(200, out);
        });
    }

    private Response folderList(GraphRequest g, Mailbox x, long parent, String context) {
        List<String> select = select(g.http(), FOLDER_PROPERTIES);
        List<ContactFolder> all = x.folders().values().stream().filter(f -> f.parentSeq() == parent).toList();
        return listPage(g.http(), context, all, f -> renderFolder(x, f, select, false));
    }

    // ------------------------------------------------------------------ contacts

    /** GET .../contacts of a folder, or of the default folder for /users/{id}/contacts. */
    Response contacts(GraphRequest g) {
        Mailbox m = mailbox(g);
        List<String> select = select(g.http(), CONTACT_PROPERTIES);
        Predicate<StoredContact> filter = filter(g.http());
        return m.read(x -> {
            long folder = folderOfRequest(g, x);
            List<StoredContact> all = new ArrayList<>();
            for (StoredContact c : x.folder(folder).orElseThrow().contacts().values()) {
                if (filter.test(c)) {
                    all.add(c);
                }
            }
            return listPage(g.http(), context(g, folderPath(g) + "/contacts"), all,
                    c -> renderContact(x, c, select, false));
        });
    }

    /** GET .../contacts/{id}: the contact must be in the addressed folder (any folder for /users/{id}/contacts/{id}). */
    Response contact(GraphRequest g) {
        Mailbox m = mailbox(g);
        List<String> select = select(g.http(), CONTACT_PROPERTIES);
        return m.read(x -> {
            String id = g.http().pathVariable("cid");
            long seq = x.seqOf(id, OutlookIds.Kind.CONTACT).orElseThrow(() -> OutlookIds.decode(id).isEmpty()
                    ? OutlookErrors.idMalformed() : OutlookErrors.itemNotFound());
            StoredContact c = x.contact(seq).orElseThrow(OutlookErrors::itemNotFound);
            if (g.http().pathVariables().containsKey("fid") && c.folderSeq() != folderOfRequest(g, x)) {
                throw OutlookErrors.itemNotFound();
            }
            ObjectNode out = Links.collection(context(g, folderPath(g) + "/contacts") + "/$entity");
            out.setAll(renderContact(x, c, select, false));
            return Response.odata(200, out);
        });
    }

    // ------------------------------------------------------------------ delta

    /** GET .../contacts/delta of a folder (the default folder for /users/{id}/contacts/delta). */
    Response contactsDelta(GraphRequest g) {
        Mailbox m = mailbox(g);
        return m.read(x -> {
            long folderSeq = folderOfRequest(g, x);
            ContactFolder folder = x.folder(folderSeq).orElseThrow();
            OutlookDeltaState state = state(g, x, "contacts", folderSeq, folder.expiryGeneration(),
                    CONTACT_PROPERTIES);
            int pageSize = pageSize(g.http(), state);
            List<ObjectNode> values = new ArrayList<>();
            List<String> select = state.selectOr(CONTACT_PROPERTIES);
            OutlookDeltaState next = walk(state, pageSize, values, folder.contacts(), folder.removed(),
                    StoredContact::changeSeq, c -> {
                        ObjectNode n = Json.object().put("@odata.type", "#microsoft.graph.contact");
                        n.setAll(renderContact(x, c, select, true));
                        return n;
                    }, seq -> removedNode("#microsoft.graph.contact", x.id(OutlookIds.Kind.CONTACT, seq)));
            return deltaPage(g.http(), "contact", state, next, values, pageSize);
        });
    }

    /** GET /users/{id}/contactFolders/delta: every contact folder of the mailbox. */
    Response foldersDelta(GraphRequest g) {
        Mailbox m = mailbox(g);
        return m.read(x -> {
            OutlookDeltaState state = state(g, x, "contactFolders", 0, x.folderExpiryGeneration(),
                    FOLDER_PROPERTIES);
            int pageSize = pageSize(g.http(), state);
            List<ObjectNode> values = new ArrayList<>();
            OutlookDeltaState next = walk(state, pageSize, values, x.folders(), x.removedFolders(),
                    ContactFolder::changeSeq, f -> {
                        ObjectNode n = Json.object().put("@odata.type", "#microsoft.graph.contactFolder");
                        n.setAll(renderFolder(x, f, state.selectOr(FOLDER_PROPERTIES), true));
                        return n;
                    }, seq -> removedNode("#microsoft.graph.contactFolder", x.folderId(seq)));
            return deltaPage(g.http(), "contactFolder", state, next, values, pageSize);
        });
    }

    /**
     * Fills one page of a round (from, to]: first the live objects whose last change is in the round (by number,
     * after the cursor), then - except in the first round - the removals in the round. Returns the state of the next
     * page, or a LINK state when the round is complete.
     */
    private static <T> OutlookDeltaState walk(OutlookDeltaState s, int pageSize, List<ObjectNode> values,
                                              NavigableMap<Long, T> live, NavigableMap<Long, Long> removed,
                                              java.util.function.ToLongFunction<T> changeOf,
                                              java.util.function.Function<T, ObjectNode> render,
                                              java.util.function.LongFunction<ObjectNode> renderRemoved) {
        if (s.phase() == OutlookDeltaState.Phase.CHANGES) {
            Iterator<Map.Entry<Long, T>> it = live.tailMap(s.cursor(), false).entrySet().iterator();
            long last = s.cursor();
            while (it.hasNext()) {
                Map.Entry<Long, T> e = it.next();
                long change = changeOf.applyAsLong(e.getValue());
                if (change <= s.from() || change > s.to()) {
                    continue;
                }
                if (values.size() == pageSize) {
                    return s.next(OutlookDeltaState.Phase.CHANGES, last);
                }
                values.add(render.apply(e.getValue()));
                last = e.getKey();
            }
            s = s.next(OutlookDeltaState.Phase.REMOVALS, s.from());
        }
        if (s.from() > 0) {
            long last = s.cursor();
            for (Map.Entry<Long, Long> e : removed.subMap(Math.max(s.cursor(), s.from()), false, s.to(), true)
                    .entrySet()) {
                if (values.size() == pageSize) {
                    return s.next(OutlookDeltaState.Phase.REMOVALS, last);
                }
                values.add(renderRemoved.apply(e.getValue()));
                last = e.getKey();
            }
        }
        return s.link();
    }

    private OutlookDeltaState state(GraphRequest g, Mailbox x, String collection, long folderSeq, long generation,
                                    List<String> properties) {
        Request req = g.http();
        String skip = req.query("$skiptoken").orElse(null);
        String delta = req.query("$deltatoken").orElse(null);
        if (skip == null && (delta == null || delta.isEmpty())) {
            return new OutlookDeltaState(g.tenantId(), x.ownerId(), collection, folderSeq, x.epoch(), generation,
                    OutlookDeltaState.Phase.CHANGES, 0, x.head(), 0,
                    req.query("$select").filter(v -> !v.isBlank()).isPresent() ? select(req, properties) : null);
        }
        OutlookDeltaState s = tokens.open(skip != null ? skip : delta).flatMap(OutlookDeltaState::fromJson)
                .orElseThrow(() -> OutlookErrors.syncStateNotFound(0, generation));
        if (!s.tenantId().equals(g.tenantId()) || !s.mailbox().equals(x.ownerId())
                || !s.collection().equals(collection) || s.folder() != folderSeq || s.epoch() != x.epoch()
                || s.generation() != generation || (skip != null) == (s.phase() == OutlookDeltaState.Phase.LINK)) {
            throw OutlookErrors.syncStateNotFound(s.generation(), generation);
        }
        return skip != null ? s : s.startRound(x.head());
    }

    private static int pageSize(Request req, OutlookDeltaState state) {
        Integer max = Prefer.of(req).maxPageSize();
        return Math.max(1, Math.min(DELTA_MAX, max != null ? max : DELTA_PAGE));
    }

    private Response deltaPage(Request req, String type, OutlookDeltaState state, OutlookDeltaState next,
                               List<ObjectNode> values, int pageSize) {
        ObjectNode body = Json.object();
        body.put("@odata.context", baseUrl + "/v1.0/$metadata#Collection(" + type + ")");
        String url = baseUrl + req.path();
        if (next.phase() == OutlookDeltaState.Phase.LINK) {
            body.put("@odata.deltaLink", url + "?$deltatoken=" + enc(tokens.seal(next.toJson())));
        } else {
            body.put("@odata.nextLink", url + "?$skiptoken=" + enc(tokens.seal(next.toJson())));
        }
        ArrayNode arr = body.putArray("value");
        values.forEach(arr::add);
        Response r = Response.odata(200, body);
        String applied = Prefer.of(req).applied(pageSize);
        if (applied != null) {
            r.header("Preference-Applied", applied);
        }
        return r;
    }

    private static ObjectNode removedNode(String type, String id) {
        ObjectNode n = Json.object().put("@odata.type", type).put("id", id);
        n.putObject("@removed").put("reason", "deleted");
        return n;
    }

    // ------------------------------------------------------------------ rendering

    static ObjectNode renderContact(Mailbox x, StoredContact c, List<String> select, boolean omitEmpty) {
        ObjectNode n = Json.object();
        String changeKey = OutlookIds.changeKey(c.seq(), c.version());
        n.put("@odata.etag", "W/\"" + changeKey + "\"");
        n.put("id", x.id(OutlookIds.Kind.CONTACT, c.seq()));
        ContactFields f = c.fields();
        for (String p : select) {
            switch (p) {
                case "createdDateTime" -> n.put(p, Instant.ofEpochSecond(c.createdEpochSecond()).toString());
                case "lastModifiedDateTime" -> n.put(p, Instant.ofEpochSecond(c.modifiedEpochSecond()).toString());
                case "changeKey" -> n.put(p, changeKey);
                case "parentFolderId" -> n.put(p, x.folderId(c.folderSeq()));
                case "categories" -> strings(n, p, f.categories(), omitEmpty);
                case "displayName" -> text(n, p, f.displayName(), omitEmpty);
                case "givenName" -> text(n, p, f.givenName(), omitEmpty);
                case "surname" -> text(n, p, f.surname(), omitEmpty);
                case "jobTitle" -> text(n, p, f.jobTitle(), omitEmpty);
                case "companyName" -> text(n, p, f.companyName(), omitEmpty);
                case "department" -> text(n, p, f.department(), omitEmpty);
                case "mobilePhone" -> text(n, p, f.mobilePhone(), omitEmpty);
                case "homePhones" -> strings(n, p, f.homePhones(), omitEmpty);
                case "businessPhones" -> strings(n, p, f.businessPhones(), omitEmpty);
                case "emailAddresses" -> {
                    if (!omitEmpty || !f.emailAddresses().isEmpty()) {
                        ArrayNode a = n.putArray(p);
                        for (EmailAddress e : f.emailAddresses()) {
                            ObjectNode o = a.addObject();
                            o.put("name", e.name() == null ? e.address() : e.name());
                            o.put("address", e.address());
                        }
                    }
                }
                default -> {
                    if (ContactFields.LIST_PROPERTIES.contains(p)) {
                        strings(n, p, f.list(p), omitEmpty);
                    } else if (ContactFields.ADDRESS_PROPERTIES.contains(p)) {
                        PhysicalAddress a = f.address(p);
                        if (!omitEmpty || a != null) {
                            ObjectNode o = n.putObject(p);
                            if (a != null) {
                                putIf(o, "street", a.street());
                                putIf(o, "city", a.city());
                                putIf(o, "state", a.state());
                                putIf(o, "countryOrRegion", a.countryOrRegion());
                                putIf(o, "postalCode", a.postalCode());
                            }
                        }
                    } else {
                        text(n, p, f.string(p), omitEmpty);
                    }
                }
            }
        }
        return n;
    }

    static ObjectNode renderFolder(Mailbox x, ContactFolder f, List<String> select, boolean delta) {
        ObjectNode n = Json.object();
        n.put("id", x.folderId(f.seq()));
        for (String p : select) {
            if (p.equals("displayName")) {
                n.put(p, f.displayName());
            } else if (p.equals("parentFolderId")) {
                n.put(p, x.folderId(f.parentSeq()));
            }
        }
        return n;
    }

    private static void text(ObjectNode n, String name, String value, boolean omitEmpty) {
        if (value != null) {
            n.put(name, value);
        } else if (!omitEmpty) {
            n.putNull(name);
        }
    }

    private static void strings(ObjectNode n, String name, List<String> values, boolean omitEmpty) {
        if (!omitEmpty || !values.isEmpty()) {
            ArrayNode a = n.putArray(name);
            values.forEach(a::add);
        }
    }

    private static void putIf(ObjectNode o, String name, String value) {
        if (value != null) {
            o.put(name, value);
        }
    }

    // ------------------------------------------------------------------ request plumbing

    /** The mailbox of /users/{uid}: 404 ErrorInvalidUser for an unknown user, MailboxNotEnabledForRESTAPI without one. */
    private Mailbox mailbox(GraphRequest g) {
        String key = g.http().pathVariable("uid");
        User user = directory.user(g.tenantId(), key).orElseThrow(() -> OutlookErrors.invalidUser(key));
        return store.mailboxOf(g.tenantId(), user).orElseThrow(OutlookErrors::mailboxNotEnabled);
    }

    /** The folder a request addresses: {cfid} (a child folder), {fid}, or the default folder. */
    private static long folderOfRequest(GraphRequest g, Mailbox x) {
        Map<String, String> vars = g.http().pathVariables();
        if (vars.containsKey("cfid")) {
            long parent = folderSeq(x, vars.get("fid"));
            long child = folderSeq(x, vars.get("cfid"));
            if (x.folder(child).orElseThrow().parentSeq() != parent) {
                throw OutlookErrors.itemNotFound();
            }
            return child;
        }
        return vars.containsKey("fid") ? folderSeq(x, vars.get("fid")) : Mailbox.DEFAULT_FOLDER;
    }

    private static long folderSeq(Mailbox x, String id) {
        if ("contacts".equalsIgnoreCase(id)) {
            return Mailbox.DEFAULT_FOLDER; // the well-known name of the default Contacts folder
        }
        if (OutlookIds.decode(id).isEmpty()) {
            throw OutlookErrors.idMalformed();
        }
        long seq = x.seqOf(id, OutlookIds.Kind.FOLDER).orElseThrow(OutlookErrors::itemNotFound);
        x.folder(seq).orElseThrow(OutlookErrors::itemNotFound);
        return seq;
    }

    private static String folderPath(GraphRequest g) {
        Map<String, String> vars = g.http().pathVariables();
        if (vars.containsKey("cfid")) {
            return "/contactFolders('" + vars.get("fid") + "')/childFolders('" + vars.get("cfid") + "')";
        }
        return vars.containsKey("fid") ? "/contactFolders('" + vars.get("fid") + "')" : "";
    }

    private String context(GraphRequest g, String suffix) {
        return baseUrl + "/v1.0/$metadata#users('" + g.http().pathVariable("uid") + "')" + suffix;
    }

    /** $select against the resource's properties (id and @odata.etag always come); null: all properties. */
    private static List<String> select(Request req, List<String> properties) {
        String raw = req.query("$select").filter(s -> !s.isBlank()).orElse(null);
        if (raw == null) {
            return properties;
        }
        List<String> out = new ArrayList<>();
        for (String part : raw.split(",")) {
            String name = part.trim();
            if (name.isEmpty() || name.equalsIgnoreCase("id")) {
                continue;
            }
            String match = properties.stream().filter(p -> p.equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> OutlookErrors.unknownProperty(name));
            if (!out.contains(match)) {
                out.add(match);
            }
        }
        return properties.stream().filter(out::contains).toList();
    }

    /** The one documented contacts filter: emailAddresses/any(a:a/address eq '...'). */
    private static Predicate<StoredContact> filter(Request req) {
        String raw = req.query("$filter").filter(s -> !s.isBlank()).orElse(null);
        if (raw == null) {
            return c -> true;
        }
        Matcher m = EMAIL_FILTER.matcher(raw);
        if (!m.matches()) {
            throw OutlookErrors.unsupportedFilter();
        }
        String address = m.group(2).toLowerCase(Locale.ROOT);
        return c -> c.fields().emailAddresses().stream()
                .anyMatch(e -> e.address() != null && e.address().toLowerCase(Locale.ROOT).equals(address));
    }

    /** One page of an Outlook collection: $top (default 10, at most 1000) and $skip; the next link keeps the query. */
    private <T> Response listPage(Request req, String context, List<T> all,
                                  java.util.function.Function<T, ObjectNode> render) {
        int top = intQuery(req, "$top", Prefer.of(req).maxPageSize() != null ? Prefer.of(req).maxPageSize() : LIST_PAGE);
        top = Math.max(1, Math.min(LIST_MAX, top));
        int skip = Math.max(0, intQuery(req, "$skip", 0));
        List<ObjectNode> values = new ArrayList<>();
        for (int i = skip; i < Math.min(all.size(), skip + top); i++) {
            values.add(render.apply(all.get(i)));
        }
        String next = skip + top < all.size() ? nextLink(req, skip + top) : null;
        return Response.odata(200, Links.page(context, null, next, values));
    }

    private String nextLink(Request req, int skip) {
        List<String> parts = new ArrayList<>();
        if (req.rawQuery() != null) {
            for (String p : req.rawQuery().split("&")) {
                String name = p.contains("=") ? p.substring(0, p.indexOf('=')) : p;
                if (!p.isEmpty() && !URLDecoder.decode(name, StandardCharsets.UTF_8).equalsIgnoreCase("$skip")) {
                    parts.add(p);
                }
            }
        }
        parts.add("$skip=" + skip);
        return baseUrl + req.path() + "?" + String.join("&", parts);
    }

    private static int intQuery(Request req, String name, int dflt) {
        String raw = req.query(name).orElse(null);
        if (raw == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new GraphException(400, "BadRequest", "Invalid value '" + raw + "' for query option " + name + ".");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
