package dev.entrapbx.simulator.notifications;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.entrapbx.simulator.directory.ChangeEvent;
import dev.entrapbx.simulator.identity.SigningKeys;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.presence.PresenceState;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Change-notification subscriptions and their webhook deliveries, as Graph documents them
 * (change-notifications-delivery-webhooks, change-notifications-lifecycle-events): the validation handshake
 * ({@code POST {url}?validationToken=...}, 200 text/plain echo within 10 s), change notifications
 * {@code {"value":[...]}} with clientState, tenantId, resource and resourceData (encrypted content and
 * validationTokens when includeResourceData), retries while the endpoint answers non-2xx or slower than 3 s
 * (Graph retries for up to 4 hours; the simulator's schedule is configurable), lifecycle notifications to the
 * lifecycleNotificationUrl, and expiry (an expired subscription is removed and delivers nothing).
 *
 * <p>The simulator does not verify the receiver's TLS certificate (a test tool talks to self-signed endpoints),
 * and accepts {@code http://} URLs on loopback addresses, which Graph refuses.
 */
public final class NotificationService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NotificationService.class.getName());
    /** The appid of Microsoft Graph's change-notification publisher in validation tokens (documented). */
    public static final String PUBLISHER_APP_ID = "0bf30f3b-4a52-48df-9a82-234910c4a086";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Delivery settings; the defaults follow Graph's documentation where it gives numbers. */
    public record Settings(Duration validationTimeout, Duration deliveryTimeout, List<Duration> retryDelays,
                           Duration retryWindow, boolean appOnlyPresenceSubscriptions) {
        public static Settings defaults() {
            List<Duration> delays = new ArrayList<>(List.of(Duration.ofSeconds(10), Duration.ofSeconds(30),
                    Duration.ofMinutes(1), Duration.ofMinutes(5)));
            while (delays.size() < 28) {
                delays.add(Duration.ofMinutes(10)); // Graph: failed deliveries are retried in 10 minutes, up to 4 h
            }
            return new Settings(Duration.ofSeconds(10), Duration.ofSeconds(3), List.copyOf(delays), Duration.ofHours(4),
                    false);
        }
    }

    private final Clock clock;
    private final SigningKeys signingKeys;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final HttpClient http;
    private final ExecutorService senders = Executors.newFixedThreadPool(8, daemon("notification-sender"));
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(daemon("notification-retry"));
    private volatile Settings settings = Settings.defaults();

    public NotificationService(Clock clock, SigningKeys signingKeys) {
        this.clock = clock;
        this.signingKeys = signingKeys;
        this.http = HttpClient.newBuilder().sslContext(trustingContext()).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).executor(Executors.newCachedThreadPool(daemon("notification-http")))
                .build();
    }

    public Settings settings() { return settings; }

    public void settings(Settings s) { this.settings = s; }

    // ------------------------------------------------------------------ subscriptions

    /**
     * Validates the endpoints (notificationUrl, then lifecycleNotificationUrl) and stores the subscription; empty
     * when a validation failed (Graph then refuses with 400).
     */
    @SuppressWarnings("checkstyle:ParameterNumber")
    public Optional<Subscription> create(String tenantId, String applicationId, String creatorId, String resource,
                                         Subscription.Kind kind, Collection<String> userIds, String changeType,
                                         Collection<String> changeTypes, String clientState, boolean includeResourceData,
                                         String tlsVersion, String notificationUrl, String lifecycleUrl,
                                         Instant expiration, String certificateBase64, X509Certificate certificate,
                                         String certificateId) {
        String id = UUID.randomUUID().toString();
        List<String> ids = userIds.stream().map(u -> u.toLowerCase(Locale.ROOT)).toList();
        Subscription s = new Subscription(id, tenantId, applicationId, creatorId, resource, kind,
                new java.util.HashSet<>(ids), changeType, new java.util.HashSet<>(changeTypes), clientState,
                includeResourceData, tlsVersion, notificationUrl, lifecycleUrl, expiration, certificateBase64,
                certificate, certificateId);
        if (!validate(s, notificationUrl) || (lifecycleUrl != null && !validate(s, lifecycleUrl))) {
            return Optional.empty();
        }
        subscriptions.put(id, s);
        return Optional.of(s);
    }

    /** A live subscription (expired ones are removed on the way). */
    public Optional<Subscription> get(String id) {
        Subscription s = id == null ? null : subscriptions.get(id.toLowerCase(Locale.ROOT));
        if (s != null && s.expired(clock.instant())) {
            subscriptions.remove(s.id());
            return Optional.empty();
        }
        return Optional.ofNullable(s);
    }

    /** Live subscriptions, oldest first by id order of creation is not kept: sorted by id. */
    public List<Subscription> list() {
        Instant now = clock.instant();
        subscriptions.values().removeIf(s -> s.expired(now));
        return subscriptions.values().stream().sorted(java.util.Comparator.comparing(Subscription::id)).toList();
    }

    public void renew(Subscription s, Instant expiration) {
        s.expirationDateTime(expiration);
        if (s.state() == Subscription.State.PAUSED) {
            s.state(Subscription.State.ACTIVE);
        }
    }

    public void updateCertificate(Subscription s, String base64, X509Certificate cert, String certId) {
        s.certificate(base64, cert, certId);
    }

    /** POST /subscriptions/{id}/reauthorize: resumes a paused subscription. */
    public void reauthorize(Subscription s) {
        if (s.state() == Subscription.State.PAUSED) {
            s.state(Subscription.State.ACTIVE);
        }
    }

    public boolean delete(String id) {
        return id != null && subscriptions.remove(id.toLowerCase(Locale.ROOT)) != null;
    }

    public void reset() {
        subscriptions.clear();
        settings = Settings.defaults();
    }

    // ------------------------------------------------------------------ lifecycle and loss (control API)

    /** Sends a lifecycle notification; subscriptionRemoved also removes the subscription, pause pauses deliveries. */
    public void lifecycle(Subscription s, String event, boolean pause) {
        ObjectNode n = Json.object();
        n.put("subscriptionId", s.id());
        n.put("subscriptionExpirationDateTime", s.expirationDateTime().toString());
        n.put("tenantId", s.tenantId());
        n.put("clientState", s.clientState());
        n.put("lifecycleEvent", event);
        if ("subscriptionRemoved".equals(event)) {
            subscriptions.remove(s.id());
        } else if ("reauthorizationRequired".equals(event) && pause) {
            s.state(Subscription.State.PAUSED);
        }
        if (s.lifecycleNotificationUrl() != null) {
            send(s, "lifecycle", s.lifecycleNotificationUrl(), collection(n, null), 1, clock.instant());
        }
    }

    /** How the control API makes the simulator lose a subscription. */
    public enum LossMode {
        /** Still listed and renewable, but nothing is delivered any more. */
        SILENT,
        /** Gone without a word: GET and PATCH answer 404. */
        VANISH,
        /** subscriptionRemoved to the lifecycleNotificationUrl, then gone. */
        REMOVED
    }

    public void lose(Subscription s, LossMode mode) {
        switch (mode) {
            case SILENT -> s.state(Subscription.State.SILENT);
            case VANISH -> subscriptions.remove(s.id());
            case REMOVED -> lifecycle(s, "subscriptionRemoved", false);
            default -> throw new IllegalArgumentException(mode.toString());
        }
    }

    // ------------------------------------------------------------------ change notifications

    /** The presence a user shows changed: one notification per subscription watching the user. */
    public void presenceChanged(String tenantId, String userId, PresenceState shown) {
        for (Subscription s : subscriptions.values()) {
            if (s.kind() != Subscription.Kind.PRESENCE || !s.tenantId().equalsIgnoreCase(tenantId) || !s.watches(userId)) {
                continue;
            }
            ObjectNode n = base(s, "updated", "communications/presences/" + userId);
            ObjectNode data = n.putObject("resourceData");
            data.put("@odata.id", "users/" + userId + "/presence");
            data.put("@odata.type", "#microsoft.graph.presence");
            data.put("id", userId);
            n.put("organizationId", s.tenantId());
            boolean withResourceData = s.includeResourceData() && s.certificate() != null;
            if (withResourceData) {
                ObjectNode full = Json.object();
                full.put("@odata.id", "users/" + userId + "/presence");
                full.put("@odata.type", "#microsoft.graph.presence");
                full.put("id", userId);
                full.put("availability", shown.availability());
                full.put("activity", shown.activity());
                ObjectNode oof = full.putObject("outOfOfficeSettings");
                oof.put("message", shown.outOfOfficeMessage());
                oof.put("isOutOfOffice", shown.outOfOffice());
                n.set("encryptedContent", ResourceDataEncryption.encrypt(full, s.certificate(), s.encryptionCertificateId()));
            }
            dispatch(s, n, withResourceData);
        }
    }

    /** A directory change: users notifications (updated or deleted, resource Users/{id}). */
    public void directoryChanged(String tenantId, ChangeEvent e) {
        if (e.resource() != ChangeEvent.ResourceKind.USER) {
            return;
        }
        String changeType = switch (e.type()) {
            case SOFT_DELETED, HARD_DELETED -> "deleted";
            case CREATED, UPDATED, RESTORED -> "updated";
            default -> null;
        };
        if (changeType == null) {
            return;
        }
        for (Subscription s : subscriptions.values()) {
            if (s.kind() != Subscription.Kind.USERS || !s.tenantId().equalsIgnoreCase(tenantId)
                    || !s.watches(e.objectId()) || !s.changeTypes().contains(changeType)) {
                continue;
            }
            ObjectNode n = base(s, changeType, "Users/" + e.objectId());
            ObjectNode data = n.putObject("resourceData");
            data.put("@odata.type", "#Microsoft.Graph.User");
            data.put("@odata.id", "Users/" + e.objectId());
            data.put("id", e.objectId());
            data.put("organizationId", s.tenantId());
            dispatch(s, n, false);
        }
    }

    private ObjectNode base(Subscription s, String changeType, String resource) {
        ObjectNode n = Json.object();
        n.put("subscriptionId", s.id());
        n.put("subscriptionExpirationDateTime", s.expirationDateTime().toString());
        n.put("changeType", changeType);
        n.put("resource", resource);
        n.put("clientState", s.clientState());
        n.put("tenantId", s.tenantId());
        return n;
    }

    private void dispatch(Subscription s, ObjectNode notification, boolean withValidationTokens) {
        Instant now = clock.instant();
        if (s.expired(now)) {
            subscriptions.remove(s.id());
            return;
        }
        if (s.state() != Subscription.State.ACTIVE) {
            s.droppedOne();
            return;
        }
        ObjectNode body = collection(notification, withValidationTokens ? validationToken(s) : null);
        senders.execute(() -> send(s, "change", s.notificationUrl(), body, 1, now));
    }

    private static ObjectNode collection(ObjectNode notification, String validationToken) {
        ObjectNode body = Json.object();
        body.putArray("value").add(notification);
        if (validationToken != null) {
            ArrayNode tokens = body.putArray("validationTokens");
            tokens.add(validationToken);
        }
        return body;
    }

    /** Posts a notification; on a non-2xx answer, a timeout or a connection failure, retries as the settings say. */
    private void send(Subscription s, String kind, String url, ObjectNode body, int attempt, Instant firstTry) {
        if ("change".equals(kind) && (s.state() == Subscription.State.SILENT || s.expired(clock.instant())
                || !subscriptions.containsKey(s.id()))) {
            s.droppedOne();
            return;
        }
        Settings cfg = settings;
        long start = System.nanoTime();
        int status = 0;
        String error = null;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(cfg.deliveryTimeout())
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            status = r.statusCode();
        } catch (java.io.IOException e) {
            error = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        s.record(new Subscription.Delivery(clock.instant(), kind, url, attempt, status, error, millis));
        if (status >= 200 && status < 300) {
            return;
        }
        List<Duration> delays = cfg.retryDelays();
        Duration delay = attempt <= delays.size() ? delays.get(attempt - 1) : null;
        if (delay == null || clock.instant().plus(delay).isAfter(firstTry.plus(cfg.retryWindow()))) {
            s.droppedOne();
            LOG.log(Level.FINE, "Notification to {0} dropped after {1} attempts", new Object[] {url, attempt});
            return;
        }
        retries.schedule(() -> senders.execute(() -> send(s, kind, url, body, attempt + 1, firstTry)),
                delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The validation handshake of one endpoint. */
    private boolean validate(Subscription s, String url) {
        String token = "Validation: Testing client application reachability for subscription Request-Id: "
                + UUID.randomUUID();
        String target = url + (url.contains("?") ? "&" : "?") + "validationToken="
                + URLEncoder.encode(token, StandardCharsets.UTF_8).replace("+", "%20");
        long start = System.nanoTime();
        int status = 0;
        String error = null;
        boolean ok = false;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(target))
                    .timeout(settings.validationTimeout())
                    .header("Content-Type", "text/plain; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            status = r.statusCode();
            String contentType = r.headers().firstValue("Content-Type").orElse("");
            ok = status == 200 && contentType.toLowerCase(Locale.ROOT).startsWith("text/plain") && token.equals(r.body());
            if (!ok) {
                error = status != 200 ? "status " + status : !contentType.toLowerCase(Locale.ROOT).startsWith("text/plain")
                        ? "Content-Type " + contentType : "the body is not the URL-decoded validation token";
            }
        } catch (java.io.IOException e) {
            error = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (IllegalArgumentException e) {
            error = "invalid URL: " + e.getMessage();
        }
        s.record(new Subscription.Delivery(clock.instant(), "validation", url, 1, status, error,
                (System.nanoTime() - start) / 1_000_000));
        return ok;
    }

    /**
     * A validation token as documented for notifications with resource data: a JWT from the tenant's STS v1 issuer,
     * audience the subscribing app, appid the Graph notification publisher, signed with the simulator's key.
     */
    private String validationToken(Subscription s) {
        try {
            SigningKeys.SigningKey key = signingKeys.current();
            Instant now = clock.instant();
            JWTClaimsSet claims = new JWTClaimsSet.Builder().audience(s.applicationId())
                    .issuer("https://sts.windows.net/" + s.tenantId() + "/")
                    .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(8))))
                    .claim("appid", PUBLISHER_APP_ID).claim("appidacr", "2").claim("tid", s.tenantId())
                    .claim("idp", "https://sts.windows.net/" + s.tenantId() + "/").claim("ver", "1.0")
                    .claim("uti", Long.toHexString(RANDOM.nextLong())).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                    .keyID(key.kid()).build(), claims);
            jwt.sign(new RSASSASigner(key.jwk()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        senders.shutdownNow();
        retries.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Accepts any server certificate and host name: receivers in tests use self-signed certificates. */
    private static SSLContext trustingContext() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {new X509ExtendedTrustManager() {
                @Override public void checkClientTrusted(X509Certificate[] c, String a, java.net.Socket s) { }
                @Override public void checkServerTrusted(X509Certificate[] c, String a, java.net.Socket s) { }
                @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) { }
                @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) { }
                @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
                @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
                @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, RANDOM);
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
