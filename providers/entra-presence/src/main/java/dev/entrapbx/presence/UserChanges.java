package dev.entrapbx.presence;

import dev.entrapbx.graph.GraphException;
import dev.entrapbx.kc.Db;
import dev.entrapbx.kc.Jdbc;
import dev.entrapbx.sync.EntraSyncConfig;
import dev.entrapbx.sync.PhoneSystemSync;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Graph change notifications on a tenant's users, for the user sync: one subscription per sync
 * component with {@code userChangeNotifications} on ({@code resource users}, {@code changeType
 * updated,deleted}; application permission {@code User.Read.All}; no resource data, which Graph does
 * not offer for users).
 * <ul>
 * <li>{@link #maintain}: creates the subscription (Graph checks the endpoint with the validation-token
 *     handshake first), renews it when less than half its life is left, checks that Graph still has it,
 *     and re-creates a lost one; a re-created one (a gap in notifications) is followed by a changed sync.
 *     Off: the subscription is deleted.</li>
 * <li>{@link #notified}: a notification whose {@code clientState} matches makes the component's changed
 *     sync due {@link #DEBOUNCE} later (more notifications in that time join the same run).</li>
 * <li>Lifecycle: {@code reauthorizationRequired} renews now, {@code subscriptionRemoved} re-creates,
 *     {@code missed} runs a changed sync.</li>
 * </ul>
 * The periodic changed sync stays as the safety net.
 */
final class UserChanges {

    private static final Logger LOG = Logger.getLogger(UserChanges.class);

    static final String RESOURCE = "users";
    static final String CHANGE_TYPE = "updated,deleted";
    /** Graph allows users subscriptions up to 41,760 minutes; two days, renewed at half, keeps renewals routine. */
    static final Duration LIFETIME = Duration.ofDays(2);
    static final Duration DEBOUNCE = Duration.ofSeconds(2);
    static final String PATH = "entra-notifications";

    private static final SecureRandom RANDOM = new SecureRandom();

    private UserChanges() {
    }

    record Stored(String id, String componentId, String realmId, String clientState, long expiresAt) {
    }

    static Optional<Stored> ofComponent(Jdbc db, String componentId) throws SQLException {
        return find(db, "COMPONENT_ID", componentId);
    }

    static Optional<Stored> byId(Jdbc db, String id) throws SQLException {
        return find(db, "ID", id);
    }

    private static Optional<Stored> find(Jdbc db, String column, String value) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(SELECT + " WHERE " + column + " = ?")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(stored(rs)) : Optional.empty();
            }
        }
    }

    /** The notification URL of a realm: {@code {base}/realms/{realm}/entra-notifications}. */
    static String notificationUrl(String base, String realmName) {
        return base + "/realms/" + java.net.URLEncoder.encode(realmName, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20") + "/" + PATH;
    }

    /** Whether {@code given} is the subscription's clientState (compared in constant time). */
    static boolean clientStateMatches(Stored s, String given) {
        return given != null && MessageDigest.isEqual(s.clientState().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                given.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** What {@link #maintain} did, for the job's log. */
    record Outcome(String error, boolean gap) {
    }

    /**
     * Brings the component's subscription to what its settings say. Returns the error (null: none) and
     * whether notifications may have been missed (a subscription lost and made again).
     */
    static Outcome maintain(KeycloakSessionFactory sessions, String realmId, ComponentModel model, Clock clock) {
        EntraSyncConfig config = new EntraSyncConfig(model);
        record Start(String realmName, Optional<Stored> stored, GraphPresence graph) {
        }
        Start start = KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> {
            RealmModel realm = s.realms().getRealm(realmId);
            s.getContext().setRealm(realm);
            Optional<Stored> stored = Db.run(s, "Subscriptions", db -> ofComponent(db, model.getId()));
            GraphPresence graph = null;
            try {
                graph = new GraphPresence(PhoneSystemSync.link(s, realm, model, PhoneSystemSync.backgroundPolicy(sessions)).graph());
            } catch (IllegalArgumentException e) {
                if (config.userChangeNotifications()) {
                    throw e;
                }
            }
            return new Start(realm.getName(), stored, graph);
        });
        Instant now = clock.instant();
        try {
            if (!config.userChangeNotifications()) {
                if (start.stored().isPresent()) {
                    if (start.graph() != null) {
                        start.graph().unsubscribe(start.stored().get().id());
                    }
                    delete(sessions, start.stored().get().id());
                    LOG.infof("User-change notifications of sync '%s' (realm %s) switched off: subscription deleted", model.getName(), realmId);
                }
                return new Outcome(null, false);
            }
            if (start.stored().isPresent()) {
                Stored s = start.stored().get();
                boolean lost;
                if (s.expiresAt() - now.toEpochMilli() < LIFETIME.toMillis() / 2) {
                    lost = !renew(sessions, start.graph(), s, now);
                } else {
                    lost = !start.graph().exists(s.id());
                }
                if (!lost) {
                    return new Outcome(null, false);
                }
                LOG.warnf("User-change subscription %s of sync '%s' (realm %s) is gone at Graph: making a new one and running a changed sync",
                        s.id(), model.getName(), realmId);
                delete(sessions, s.id());
            }
            String clientState = clientState();
            String url = notificationUrl(config.notificationUrl().orElseThrow(), start.realmName());
            GraphPresence.Created made = start.graph().subscribe(RESOURCE, CHANGE_TYPE, url, url + "/lifecycle", clientState, now.plus(LIFETIME));
            KeycloakModelUtils.runJobInTransaction(sessions, s -> Db.run(s, "Subscriptions", db -> db.update(
                    "INSERT INTO #ENTRAPBX_SUBSCRIPTION (ID, COMPONENT_ID, REALM_ID, RESOURCE, CLIENT_STATE, EXPIRES_AT, CREATED_AT) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    made.id(), model.getId(), realmId, RESOURCE, clientState, made.expires().toEpochMilli(), now.toEpochMilli())));
            LOG.infof("User-change subscription %s of sync '%s' (realm %s) made, until %s", made.id(), model.getName(), realmId, made.expires());
            return new Outcome(null, start.stored().isPresent());
        } catch (GraphException e) {
            return new Outcome("User-change notifications: " + e.getMessage(), start.stored().isPresent());
        }
    }

    /** Renews; false when Graph no longer has it (404). */
    private static boolean renew(KeycloakSessionFactory sessions, GraphPresence graph, Stored s, Instant now) {
        try {
            Instant until = graph.renew(s.id(), now.plus(LIFETIME));
            KeycloakModelUtils.runJobInTransaction(sessions, k -> Db.run(k, "Subscriptions", db -> db.update(
                    "UPDATE #ENTRAPBX_SUBSCRIPTION SET EXPIRES_AT = ?, RENEWED_AT = ? WHERE ID = ?", until.toEpochMilli(), now.toEpochMilli(), s.id())));
            LOG.debugf("User-change subscription %s renewed until %s", s.id(), until);
            return true;
        } catch (GraphException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Makes the subscription due for renewal at the next maintenance (reauthorizationRequired). */
    static void expireSoon(Jdbc db, String id) throws SQLException {
        db.update("UPDATE #ENTRAPBX_SUBSCRIPTION SET EXPIRES_AT = 0 WHERE ID = ?", id);
    }

    static void delete(KeycloakSessionFactory sessions, String id) {
        KeycloakModelUtils.runJobInTransaction(sessions, s -> Db.run(s, "Subscriptions", db -> {
            delete(db, id);
            return null;
        }));
    }

    /** Forgets the subscription (Graph's side is the caller's). */
    static void delete(Jdbc db, String id) throws SQLException {
        db.update("DELETE FROM #ENTRAPBX_SUBSCRIPTION WHERE ID = ?", id);
    }

    static List<Stored> all(Jdbc db) throws SQLException {
        List<Stored> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(SELECT)) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(stored(rs));
                }
            }
        }
        return out;
    }

    private static final String SELECT = "SELECT ID, COMPONENT_ID, REALM_ID, CLIENT_STATE, EXPIRES_AT FROM #ENTRAPBX_SUBSCRIPTION";

    private static Stored stored(ResultSet rs) throws SQLException {
        return new Stored(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5));
    }

    /** 32 random bytes: the secret every notification of the subscription carries (Graph allows 128 characters). */
    private static String clientState() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
