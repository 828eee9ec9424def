package dev.entrapbx.directory.webhook;

import dev.entrapbx.kc.Jdbc;

import dev.entrapbx.directory.ChangeFeed;
import dev.entrapbx.kc.AdminError;
import dev.entrapbx.kc.Organizations;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.urls.UrlType;

/**
 * {@code /admin/realms/{realm}/pbx-directory/webhooks}: the realm's webhooks (per phone system, or
 * for all of them). Reading needs view-realm, changing manage-realm; changes are admin events
 * (with the secret masked). A new webhook starts at its phone systems' current feed position: it
 * delivers changes committed from now on, no history.
 */
public class WebhooksAdminResource {

    static final int MAX_DESCRIPTION = 1000;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;
    private final Clock clock;
    private final WebhookService service;

    public WebhooksAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent.resource(Dispatcher.RESOURCE_TYPE);
        this.clock = Clock.systemUTC();
        this.service = session.getProvider(WebhookService.class);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<WebhookRepresentation> list(@QueryParam("organization") String organization) {
        auth.realm().requireViewRealm();
        String orgId = organization == null || organization.isBlank() ? null : organization(organization).getId();
        return ChangeFeed.run(session, db -> {
            List<WebhookRepresentation> out = new ArrayList<>();
            for (Webhook w : WebhookStore.list(db, realm.getId(), orgId)) {
                out.add(represent(db, w).masked());
            }
            return out;
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(WebhookRequest rep) {
        auth.realm().requireManageRealm();
        if (rep == null) {
            throw AdminError.invalid("invalid_webhook", "Send {\"url\": \"https://...\"} and optionally \"organization\" (alias or id; left out:"
                    + " every phone system of the realm), \"description\", \"enabled\", \"disableAfterFailures\".");
        }
        List<String> problems = new ArrayList<>();
        URI url = checkUrl(rep.url(), problems);
        checkDescription(rep.description(), problems);
        int maxFailures = checkMaxFailures(rep.disableAfterFailures(), service.options().disableAfterFailures(), problems);
        OrganizationModel org = null;
        if (rep.organization() != null && !rep.organization().isBlank()) {
            try {
                org = Organizations.require(session, realm, rep.organization().strip());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new WebApplicationException(AdminError.badRequest("invalid_webhook", problems));
        }
        long now = clock.millis();
        boolean enabled = rep.enabled() == null || rep.enabled();
        Webhook w = new Webhook(KeycloakModelUtils.generateId(), realm.getId(), org == null ? null : org.getId(), url.toString(),
                blankToNull(rep.description()), enabled, enabled ? null : "Created disabled.", enabled ? null : now, maxFailures,
                Secrets.generate(), null, null, frontendBaseUrl(), now);
        String orgId = w.organizationId();
        WebhookRepresentation out = ChangeFeed.run(session, db -> {
            WebhookStore.insert(db, w);
            // from the current head: changes committed from now on (a feed not started yet starts at its first change)
            if (orgId != null) {
                WebhookStore.insertPosition(db, w.id(), orgId, realm.getId(), ChangeFeed.head(db, orgId).map(ChangeFeed.Head::seq).orElse(0L));
            } else {
                for (Map.Entry<String, ChangeFeed.Head> h : ChangeFeed.heads(db, realm.getId()).entrySet()) {
                    WebhookStore.insertPosition(db, w.id(), h.getKey(), realm.getId(), h.getValue().seq());
                }
            }
            return represent(db, w);
        });
        adminEvent.operation(OperationType.CREATE).resourcePath(session.getContext().getUri(), w.id()).representation(out.masked()).success();
        return Response.created(session.getContext().getUri().getAbsolutePathBuilder().path(w.id()).build()).entity(out).build();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public WebhookRepresentation get(@PathParam("id") String id) {
        auth.realm().requireViewRealm();
        return ChangeFeed.run(session, db -> represent(db, find(db, id)).masked());
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public WebhookRepresentation update(@PathParam("id") String id, WebhookRequest rep) {
        auth.realm().requireManageRealm();
        if (rep == null) {
            throw AdminError.invalid("invalid_webhook", "Send the fields to change: \"url\", \"description\", \"enabled\", \"disableAfterFailures\".");
        }
        WebhookRepresentation out = ChangeFeed.run(session, db -> {
            Webhook w = find(db, id);
            List<String> problems = new ArrayList<>();
            String url = rep.url() == null ? w.url() : String.valueOf(checkUrl(rep.url(), problems));
            checkDescription(rep.description(), problems);
            int maxFailures = checkMaxFailures(rep.disableAfterFailures(), w.maxFailures(), problems);
            if (rep.organization() != null && !rep.organization().isBlank()) {
                String now = w.organizationId();
                String asked = rep.organization().strip();
                OrganizationModel current = now == null ? null : session.getProvider(OrganizationProvider.class).getById(now);
                boolean same = current != null && (asked.equals(current.getId()) || asked.equals(current.getAlias()));
                if (!same) {
                    problems.add("A webhook's phone system cannot change: delete this webhook and create one for '" + asked + "'.");
                }
            }
            if (!problems.isEmpty()) {
                throw new WebApplicationException(AdminError.badRequest("invalid_webhook", problems));
            }
            String description = rep.description() == null ? w.description() : blankToNull(rep.description());
            boolean enabled = rep.enabled() == null ? w.enabled() : rep.enabled();
            Webhook changed = w.withSettings(url, description, enabled, maxFailures, frontendBaseUrl());
            if (w.enabled() && !enabled) {
                changed = new Webhook(changed.id(), changed.realmId(), changed.organizationId(), changed.url(), changed.description(), false,
                        "Disabled by an administrator.", clock.millis(), changed.maxFailures(), changed.secret(), changed.previousSecret(),
                        changed.previousUntil(), changed.baseUrl(), changed.createdAt());
            }
            WebhookStore.update(db, changed);
            if (!w.enabled() && enabled) {
                resume(db, changed);
            }
            return represent(db, changed).masked();
        });
        adminEvent.operation(OperationType.UPDATE).resourcePath(session.getContext().getUri()).representation(out).success();
        return out;
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        auth.realm().requireManageRealm();
        ChangeFeed.run(session, db -> {
            WebhookStore.delete(db, find(db, id).id());
            return null;
        });
        adminEvent.operation(OperationType.DELETE).resourcePath(session.getContext().getUri()).success();
        return Response.noContent().build();
    }

    /** A new secret, shown in this answer only; the previous one keeps signing for {@code overlapSeconds} (default 24 h). */
    @POST
    @Path("{id}/rotate-secret")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public WebhookRepresentation rotateSecret(@PathParam("id") String id, RotateSecretRequest rep) {
        auth.realm().requireManageRealm();
        long overlap = rep == null || rep.overlapSeconds() == null ? WebhookOptions.DEFAULT_OVERLAP_SECONDS : rep.overlapSeconds();
        if (overlap < 0 || overlap > WebhookOptions.MAX_OVERLAP_SECONDS) {
            throw AdminError.invalid("invalid_request", "'overlapSeconds' is how long the previous secret keeps signing deliveries: 0 to "
                    + WebhookOptions.MAX_OVERLAP_SECONDS + " seconds (default " + WebhookOptions.DEFAULT_OVERLAP_SECONDS + ").");
        }
        WebhookRepresentation out = ChangeFeed.run(session, db -> {
            Webhook w = find(db, id);
            Webhook rotated = w.rotated(Secrets.generate(), overlap == 0 ? 0 : clock.millis() + overlap * 1000);
            WebhookStore.update(db, rotated);
            return represent(db, rotated);
        });
        adminEvent.operation(OperationType.ACTION).resourcePath(session.getContext().getUri()).representation(out.masked()).success();
        return out;
    }

    /** The newest attempts first (at most {@code max}, default and limit {@value WebhookOptions#LOG_SIZE}). */
    @GET
    @Path("{id}/deliveries")
    @Produces(MediaType.APPLICATION_JSON)
    public List<DeliveryRepresentation> deliveries(@PathParam("id") String id, @QueryParam("max") Integer max) {
        auth.realm().requireViewRealm();
        int n = max == null ? WebhookOptions.LOG_SIZE : max;
        if (n < 1 || n > WebhookOptions.LOG_SIZE) {
            throw AdminError.invalid("invalid_request", "'max' must be from 1 to " + WebhookOptions.LOG_SIZE + ".");
        }
        return ChangeFeed.run(session, db -> {
            find(db, id);
            List<DeliveryRepresentation> out = new ArrayList<>();
            for (WebhookStore.Attempt a : WebhookStore.attempts(db, id, n)) {
                out.add(new DeliveryRepresentation(Instant.ofEpochMilli(a.at()).toString(), phoneSystem(a.organizationId()), a.seq(),
                        ChangeFeed.cursor(a.organizationId(), a.seq()), a.messageId(), a.attempt(), a.status(), a.error(), a.durationMillis(),
                        a.status() != null && a.status() >= 200 && a.status() < 300));
            }
            return out;
        });
    }

    /** Re-enabled: failure runs start again; a position behind its feed's retention goes on after the removed changes (the admin's decision). */
    private void resume(Jdbc db, Webhook w) throws SQLException {
        WebhookStore.resume(db, w.id());
        for (WebhookStore.Position p : WebhookStore.positions(db, w.id())) {
            ChangeFeed.Head head = ChangeFeed.head(db, p.organizationId()).orElse(null);
            if (head != null && head.purgedThrough() > p.deliveredSeq()) {
                WebhookStore.skipTo(db, new WebhookStore.Key(w.id(), p.organizationId()), head.purgedThrough());
            }
        }
    }

    private Webhook find(Jdbc db, String id) throws SQLException {
        return WebhookStore.get(db, id).filter(w -> w.realmId().equals(realm.getId()))
                .orElseThrow(() -> AdminError.notFound("No webhook '" + id + "' in realm '" + realm.getName() + "': list them with GET .../pbx-directory/webhooks."));
    }

    private WebhookRepresentation represent(Jdbc db, Webhook w) throws SQLException {
        List<WebhookRepresentation.PositionRepresentation> positions = new ArrayList<>();
        for (WebhookStore.Position p : WebhookStore.positions(db, w.id())) {
            long head = ChangeFeed.head(db, p.organizationId()).map(ChangeFeed.Head::seq).orElse(0L);
            positions.add(new WebhookRepresentation.PositionRepresentation(phoneSystem(p.organizationId()),
                    ChangeFeed.cursor(p.organizationId(), p.deliveredSeq()), Math.max(0, head - p.deliveredSeq()), p.failures(),
                    p.nextAt() > 0 ? Instant.ofEpochMilli(p.nextAt()).toString() : null));
        }
        return new WebhookRepresentation(w.id(), w.url(), w.organizationId() == null ? null : phoneSystem(w.organizationId()), w.description(),
                w.enabled(), w.disabledReason(), w.disabledAt() == null ? null : Instant.ofEpochMilli(w.disabledAt()).toString(), w.maxFailures(),
                w.secret(), w.previousUntil() == null ? null : Instant.ofEpochMilli(w.previousUntil()).toString(),
                Instant.ofEpochMilli(w.createdAt()).toString(), positions);
    }

    private WebhookRepresentation.PhoneSystemRef phoneSystem(String organizationId) {
        OrganizationModel org = realm.isOrganizationsEnabled() ? session.getProvider(OrganizationProvider.class).getById(organizationId) : null;
        return new WebhookRepresentation.PhoneSystemRef(organizationId, org == null ? null : org.getAlias());
    }

    private OrganizationModel organization(String ref) {
        try {
            return Organizations.require(session, realm, ref.strip());
        } catch (IllegalArgumentException e) {
            throw AdminError.invalid("invalid_request", e.getMessage());
        }
    }

    private URI checkUrl(String url, List<String> problems) {
        try {
            return service.targets().check(url);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private static void checkDescription(String description, List<String> problems) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            problems.add("'description' is longer than " + MAX_DESCRIPTION + " characters.");
        }
    }

    private static int checkMaxFailures(Integer value, int fallback, List<String> problems) {
        if (value == null) {
            return fallback;
        }
        if (value < 1 || value > WebhookOptions.MAX_DISABLE_AFTER) {
            problems.add("'disableAfterFailures' must be from 1 to " + WebhookOptions.MAX_DISABLE_AFTER + ", not " + value + ".");
            return fallback;
        }
        return value;
    }

    /** Keycloak's public base URL for this realm (photo URLs in deliveries). */
    private String frontendBaseUrl() {
        return session.getContext().getUri(UrlType.FRONTEND).getBaseUri().toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
