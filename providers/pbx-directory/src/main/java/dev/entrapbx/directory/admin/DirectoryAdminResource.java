package dev.entrapbx.directory.admin;

import dev.entrapbx.directory.DirectoryAccess;
import dev.entrapbx.directory.FeedRetention;
import dev.entrapbx.directory.webhook.WebhooksAdminResource;
import dev.entrapbx.kc.AdminError;
import dev.entrapbx.kc.Organizations;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code /admin/realms/{realm}/pbx-directory}: the realm's directory settings (feed retention) and
 * a feed purge on demand. Reading needs view-realm, changing manage-realm; changes are admin events.
 */
public class DirectoryAdminResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;
    private final Clock clock;

    public DirectoryAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent,
                                  Clock clock) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent.resource(ResourceType.REALM);
        this.clock = clock;
    }

    /** The realm's webhooks: {@link WebhooksAdminResource}. */
    @Path("webhooks")
    public WebhooksAdminResource webhooks() {
        return new WebhooksAdminResource(session, realm, auth, adminEvent);
    }

    @GET
    @Path("settings")
    @Produces(MediaType.APPLICATION_JSON)
    public DirectorySettingsRepresentation settings() {
        auth.realm().requireViewRealm();
        return new DirectorySettingsRepresentation(FeedRetention.days(realm), DirectoryAccess.ROLE_CLIENT, DirectoryAccess.ROLE,
                DirectoryAccess.ORGANIZATION_ATTRIBUTE);
    }

    @PUT
    @Path("settings")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public DirectorySettingsRepresentation update(DirectorySettingsRepresentation rep) {
        auth.realm().requireManageRealm();
        if (rep == null || rep.retentionDays() == null) {
            throw AdminError.invalid("invalid_request", "Send {\"retentionDays\": n} with n from 1 to " + FeedRetention.MAX_DAYS + ".");
        }
        int days;
        try {
            days = FeedRetention.parse(String.valueOf(rep.retentionDays()));
        } catch (IllegalArgumentException e) {
            throw AdminError.invalid("invalid_request", e.getMessage());
        }
        realm.setAttribute(FeedRetention.ATTRIBUTE, String.valueOf(days));
        DirectorySettingsRepresentation out = settings();
        adminEvent.operation(OperationType.UPDATE).resourcePath(session.getContext().getUri()).representation(out).success();
        return out;
    }

    @POST
    @Path("feed/purge")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public PurgeRepresentation purge(PurgeRepresentation rep) {
        auth.realm().requireManageRealm();
        long cutoff = clock.millis() - Duration.ofDays(FeedRetention.days(realm)).toMillis();
        if (rep != null && rep.before() != null && !rep.before().isBlank()) {
            try {
                cutoff = Instant.parse(rep.before().trim()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw AdminError.invalid("invalid_request", "'before' must be an ISO-8601 instant such as 2026-12-01T00:00:00Z, not '" + rep.before() + "'.");
            }
        }
        String orgId = null;
        if (rep != null && rep.organization() != null && !rep.organization().isBlank()) {
            orgId = Organizations.require(session, realm, rep.organization().trim()).getId();
        }
        int removed = FeedRetention.purge(session, realm, orgId, cutoff);
        PurgeRepresentation out = new PurgeRepresentation(Instant.ofEpochMilli(cutoff).toString(), rep == null ? null : rep.organization(), removed);
        adminEvent.operation(OperationType.ACTION).resourcePath(session.getContext().getUri()).representation(out).success();
        return out;
    }
}
