package dev.entrapbx.presence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.kc.Db;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.util.JsonSerialization;

/**
 * {@code /realms/{realm}/entra-notifications}: where Microsoft Graph delivers change notifications
 * ({@code POST}) and lifecycle notifications ({@code POST .../lifecycle}). Public, as Graph calls it
 * without credentials; what makes a notification count is its {@code clientState}, the secret of
 * the subscription it names.
 * <ul>
 * <li>Validation: a POST with {@code ?validationToken=...} is answered at once with the token,
 *     {@code 200 text/plain}, as Graph requires before it creates a subscription.</li>
 * <li>Every notification is answered {@code 202 Accepted} whatever it holds: one naming an unknown
 *     subscription or carrying a wrong {@code clientState} is dropped (and logged), so the answer does
 *     not tell a prober which subscriptions exist. Graph retries only non-2xx answers.</li>
 * </ul>
 */
public class NotificationResource {

    private static final Logger LOG = Logger.getLogger(NotificationResource.class);
    /** Graph's notification batches are small; anything much larger is not Graph. */
    static final int MAX_BODY = 1 << 20;
    static final int MAX_TOKEN = 1024;

    private final KeycloakSession session;
    private final PresenceService service;

    NotificationResource(KeycloakSession session, PresenceService service) {
        this.session = session;
        this.service = service;
    }

    @POST
    public Response changes(@QueryParam("validationToken") String validationToken, InputStream body) {
        if (validationToken != null) {
            return validation(validationToken);
        }
        RealmModel realm = session.getContext().getRealm();
        Set<String> due = new LinkedHashSet<>();
        for (JsonNode n : items(body)) {
            accepted(realm, n).ifPresent(sub -> due.add(sub.componentId()));
        }
        for (String componentId : due) {
            service.syncSoon(componentId, UserChanges.DEBOUNCE.toMillis());
        }
        return accepted();
    }

    @POST
    @Path("lifecycle")
    public Response lifecycle(@QueryParam("validationToken") String validationToken, InputStream body) {
        if (validationToken != null) {
            return validation(validationToken);
        }
        RealmModel realm = session.getContext().getRealm();
        for (JsonNode n : items(body)) {
            Optional<UserChanges.Stored> sub = accepted(realm, n);
            if (sub.isEmpty()) {
                continue;
            }
            String event = n.path("lifecycleEvent").asText("");
            LOG.infof("Graph lifecycle notification '%s' for user-change subscription %s", event, sub.get().id());
            switch (event) {
                case "reauthorizationRequired" -> Db.run(session, "Subscriptions", db -> {
                    UserChanges.expireSoon(db, sub.get().id()); // renewed (which reauthorizes) at the job's next run, made due now
                    GraphJobs.dueBy(db, sub.get().componentId(), GraphJobs.SUBSCRIPTION, 0);
                    return null;
                });
                case "subscriptionRemoved" -> Db.run(session, "Subscriptions", db -> {
                    UserChanges.delete(db, sub.get().id());
                    GraphJobs.dueBy(db, sub.get().componentId(), GraphJobs.SUBSCRIPTION, 0);
                    GraphJobs.dueBy(db, sub.get().componentId(), GraphJobs.USER_CHANGES, 0); // what happened meanwhile
                    return null;
                });
                case "missed" -> Db.run(session, "Subscriptions", db -> {
                    GraphJobs.dueBy(db, sub.get().componentId(), GraphJobs.USER_CHANGES, 0);
                    return null;
                });
                default -> LOG.warnf("Unknown Graph lifecycle event '%s' ignored", event);
            }
            session.getTransactionManager().enlistAfterCompletion(new org.keycloak.models.AbstractKeycloakTransaction() {
                @Override
                protected void commitImpl() {
                    service.wake();
                }

                @Override
                protected void rollbackImpl() {
                }
            });
        }
        return accepted();
    }

    /** 202 with an empty plain-text body (Keycloak's security headers want a media type on every answer). */
    private static Response accepted() {
        return Response.accepted("").type(MediaType.TEXT_PLAIN_TYPE).header("Cache-Control", "no-store").build();
    }

    /** The subscription a notification names, when it is one of this realm's and the clientState matches. */
    private Optional<UserChanges.Stored> accepted(RealmModel realm, JsonNode n) {
        String id = n.path("subscriptionId").asText(null);
        if (id == null) {
            return Optional.empty();
        }
        Optional<UserChanges.Stored> sub = Db.run(session, "Subscriptions", db -> UserChanges.byId(db, id));
        if (sub.isEmpty() || !sub.get().realmId().equals(realm.getId())) {
            LOG.warnf("Graph notification for unknown subscription %s in realm %s dropped", id, realm.getName());
            return Optional.empty();
        }
        if (!UserChanges.clientStateMatches(sub.get(), n.path("clientState").asText(null))) {
            LOG.warnf("Graph notification for subscription %s with a wrong clientState dropped (not from Graph)", id);
            return Optional.empty();
        }
        return sub;
    }

    private static Iterable<JsonNode> items(InputStream body) {
        try {
            byte[] bytes = body == null ? new byte[0] : body.readNBytes(MAX_BODY + 1);
            if (bytes.length == 0 || bytes.length > MAX_BODY) {
                return java.util.List.of();
            }
            JsonNode root = JsonSerialization.readValue(bytes, JsonNode.class);
            return root.path("value").isArray() ? root.path("value") : java.util.List.of();
        } catch (IOException e) {
            LOG.debugf("Unreadable Graph notification dropped: %s", e.getMessage());
            return java.util.List.of();
        }
    }

    /** The handshake: the decoded token back as plain text, at once. */
    private static Response validation(String token) {
        if (token.length() > MAX_TOKEN) {
            return Response.status(Response.Status.BAD_REQUEST).build();
        }
        return Response.ok(token, MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8")).header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store").build();
    }
}
