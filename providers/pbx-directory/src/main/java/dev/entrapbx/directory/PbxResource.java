package dev.entrapbx.directory;

import dev.entrapbx.sync.PhoneSystemSync;
import dev.entrapbx.kc.Jdbc;
import dev.entrapbx.kc.Db;

import dev.entrapbx.core.EntraApp;
import dev.entrapbx.core.OrganizationEntraProviders;
import dev.entrapbx.directory.api.ChangesRepresentation;
import dev.entrapbx.directory.api.PhoneSystemRepresentation;
import dev.entrapbx.sync.jpa.SyncRunEntity;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.component.ComponentModel;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationDomainModel;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.organization.OrganizationProvider;

/**
 * {@code /realms/{realm}/pbx}: what the PBX backend reads. Phone systems, the full read of one
 * (cursor-paged), and its change feed. Access: {@link DirectoryAccess}. Answers are written by the
 * directory's own JSON mapper so that absent values stay visible as {@code null}.
 */
public class PbxResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final KeycloakSession session;
    private final RealmModel realm;

    public PbxResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    @GET
    @Path("phone-systems")
    public Response phoneSystems() {
        DirectoryAccess access = DirectoryAccess.check(session);
        List<PhoneSystemRepresentation> out = new ArrayList<>();
        session.getProvider(OrganizationProvider.class).getAllStream().filter(access::sees)
                .forEach(org -> out.add(describe(org)));
        return json(Map.of("phoneSystems", out));
    }

    @GET
    @Path("phone-systems/{org}")
    public Response phoneSystem(@PathParam("org") String ref) {
        return json(describe(DirectoryAccess.check(session).phoneSystem(ref)));
    }

    @GET
    @Path("phone-systems/{org}/extensions")
    public Response extensions(@PathParam("org") String ref, @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        OrganizationModel org = DirectoryAccess.check(session).phoneSystem(ref);
        int n = limit(limit);
        String after = cursor == null || cursor.isBlank() ? null : parse(() -> Cursors.parsePage(org.getId(), cursor.trim()));
        FeedWriter.start(session, realm.getId(), org.getId());
        return Db.run(session, "PBX directory", db -> {
            long seq = FeedStore.head(db, org.getId(), false).map(FeedStore.Head::seq).orElse(0L);
            List<FeedStore.EntryRow> rows = FeedStore.entryPage(db, org.getId(), after, n + 1);
            boolean more = rows.size() > n;
            List<FeedStore.EntryRow> page = more ? rows.subList(0, n) : rows;
            ChangeFeed.Renderer renderer = renderer();
            // written as text in the shape of ExtensionsPageRepresentation: each entry is stored as JSON, only its photo is rendered
            StringBuilder out = new StringBuilder(page.size() * 800 + 200).append("{\"items\":[");
            for (int i = 0; i < page.size(); i++) {
                out.append(i == 0 ? "" : ",").append(renderer.entryJson(page.get(i).data(), page.get(i).userId()));
            }
            String next = more ? Cursors.page(org.getId(), page.get(page.size() - 1).userId()) : null;
            out.append("],\"next\":").append(Json.write(next)).append(",\"changesCursor\":").append(Json.write(Cursors.feed(org.getId(), seq)))
                    .append('}');
            return Response.ok(out.toString(), MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
        });
    }

    @GET
    @Path("phone-systems/{org}/changes")
    public Response changes(@PathParam("org") String ref, @QueryParam("after") String after, @QueryParam("limit") String limit) {
        OrganizationModel org = DirectoryAccess.check(session).phoneSystem(ref);
        int n = limit(limit);
        if (after == null || after.isBlank()) {
            throw DirectoryAccess.error(Response.Status.BAD_REQUEST, "invalid_request", "'after' is required: the changesCursor of the full read"
                    + " (GET .../extensions), or the cursor of the previous page of changes.", null);
        }
        long from = parse(() -> Cursors.parseFeed(org.getId(), after.trim()));
        FeedWriter.start(session, realm.getId(), org.getId());
        return Db.run(session, "PBX directory", db -> {
            FeedStore.Head head = FeedStore.head(db, org.getId(), false).orElseThrow();
            if (from > head.seq()) {
                throw DirectoryAccess.error(Response.Status.BAD_REQUEST, "invalid_request", "'after' is ahead of this phone system's feed.", null);
            }
            if (from < head.purgedThrough()) {
                throw DirectoryAccess.error(Response.Status.GONE, "cursor_expired", "Changes after this cursor are past the feed's retention and"
                        + " were removed. Read the phone system again (GET .../extensions) and follow the feed from the changesCursor it returns.", null);
            }
            List<FeedStore.ChangeRow> rows = FeedStore.changes(db, org.getId(), from, n + 1);
            boolean more = rows.size() > n;
            List<FeedStore.ChangeRow> page = more ? rows.subList(0, n) : rows;
            List<Map<String, Object>> changes = new ArrayList<>(page.size());
            ChangeFeed.Renderer renderer = renderer();
            for (FeedStore.ChangeRow r : page) {
                changes.add(renderer.change(org.getId(), new ChangeFeed.Row(r.seq(), r.userId(), r.type(), r.data(), r.createdAt())));
            }
            long last = page.isEmpty() ? from : page.get(page.size() - 1).seq();
            return json(new ChangesRepresentation(changes, Cursors.feed(org.getId(), last), more));
        });
    }

    /**
     * The phone system's contacts: {@code scope=company} (shared mailboxes, the default),
     * {@code organization} (the tenant's organizational contacts) or {@code personal} with
     * {@code user} (a member's own; with a user's token, only that user's).
     */
    @GET
    @Path("phone-systems/{org}/contacts")
    public Response contacts(@PathParam("org") String ref, @QueryParam("scope") String scope, @QueryParam("user") String user,
                             @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        DirectoryAccess access = DirectoryAccess.check(session, true);
        OrganizationModel org = access.phoneSystem(ref);
        return new ContactsApi(session, renderer()).list(access, org, scope, user, cursor, limit(limit));
    }

    /** Caller ID: who has this number, for the callee {@code user} (whose personal contacts count). */
    @GET
    @Path("phone-systems/{org}/lookup")
    public Response lookup(@PathParam("org") String ref, @QueryParam("number") String number, @QueryParam("user") String user) {
        DirectoryAccess access = DirectoryAccess.check(session, true);
        OrganizationModel org = access.phoneSystem(ref);
        return new ContactsApi(session, renderer()).lookup(access, org, number, user);
    }

    /** Teams (or calendar) presence and PBX call state of the members; {@code user} narrows to one. */
    @GET
    @Path("phone-systems/{org}/presence")
    public Response presence(@PathParam("org") String ref, @QueryParam("user") String user) {
        OrganizationModel org = DirectoryAccess.check(session).phoneSystem(ref);
        return new PresenceApi(session).list(org, user);
    }

    /** The PBX's call state of a member ({@code {"state": "in-call", "at": ...}}), shown in Teams when the phone system allows it. */
    @POST
    @Path("phone-systems/{org}/presence/{userId}")
    public Response setPresence(@PathParam("org") String ref, @PathParam("userId") String userId, String body) {
        OrganizationModel org = DirectoryAccess.check(session).phoneSystem(ref);
        return new PresenceApi(session).set(org, userId, body);
    }

    private ChangeFeed.Renderer renderer() {
        return ChangeFeed.renderer(session.getContext().getUri().getBaseUri(), realm.getName());
    }

    private PhoneSystemRepresentation describe(OrganizationModel org) {
        Optional<ComponentModel> sync = PhoneSystemSync.ofOrganization(realm, org.getId(), org.getAlias());
        String tenant = sync.flatMap(EntraApp::ownSettings).flatMap(EntraApp::tenantValue)
                .or(() -> OrganizationEntraProviders.only(org).flatMap(idp -> EntraApp.of(idp).tenantValue())).orElse(null);
        PhoneSystemRepresentation.SyncRepresentation syncRep = sync.map(c -> new PhoneSystemRepresentation.SyncRepresentation(c.getId(),
                c.getName(), lastRun(c.getId()))).orElse(null);
        long[] counts = Db.run(session, "PBX directory", db -> counts(db, org));
        String cursor = Db.run(session, "PBX directory", db -> FeedStore.head(db, org.getId(), false).map(h -> Cursors.feed(org.getId(), h.seq()))
                .orElse(Cursors.feed(org.getId(), 0)));
        return new PhoneSystemRepresentation(org.getId(), org.getAlias(), org.getName(), org.isEnabled(),
                org.getDomains().map(OrganizationDomainModel::getName).sorted().toList(), tenant, syncRep, counts[0], counts[1], cursor);
    }

    private static long[] counts(Jdbc db, OrganizationModel org) throws SQLException {
        long members;
        try (PreparedStatement ps = db.prepareStatement("SELECT COUNT(*) FROM #USER_GROUP_MEMBERSHIP m JOIN #ORG o ON o.GROUP_ID = m.GROUP_ID WHERE o.ID = ?")) {
            ps.setString(1, org.getId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                members = rs.getLong(1);
            }
        }
        long extensions;
        try (PreparedStatement ps = db.prepareStatement("SELECT COUNT(*) FROM #USER_GROUP_MEMBERSHIP m JOIN #ORG o ON o.GROUP_ID = m.GROUP_ID"
                + " JOIN #USER_ATTRIBUTE a ON a.USER_ID = m.USER_ID AND a.NAME = 'extension' WHERE o.ID = ?")) {
            ps.setString(1, org.getId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                extensions = rs.getLong(1);
            }
        }
        return new long[] {members, extensions};
    }

    private PhoneSystemRepresentation.LastRun lastRun(String componentId) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        return em.createNamedQuery("EntraPbxSyncRun.byComponent", SyncRunEntity.class).setParameter("component", componentId)
                .setMaxResults(1).getResultStream().findFirst()
                .map(r -> new PhoneSystemRepresentation.LastRun(r.getStatus(), r.getTrigger(), Instant.ofEpochMilli(r.getStartedAt()).toString(),
                        r.getEndedAt() == null ? null : Instant.ofEpochMilli(r.getEndedAt()).toString(), r.getAdded(), r.getUpdated(),
                        r.getDisabled(), r.getDeleted(), r.getFailed()))
                .orElse(null);
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw DirectoryAccess.error(Response.Status.BAD_REQUEST, "invalid_request", "'limit' must be a number from 1 to " + MAX_LIMIT + ".", null);
    }

    private static <T> T parse(java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw DirectoryAccess.error(Response.Status.BAD_REQUEST, "invalid_request", e.getMessage(), null);
        }
    }

    static Response json(Object body) {
        return Response.ok(Json.write(body), MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
    }
}
