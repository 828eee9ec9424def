package dev.entrapbx.simulator.notifications;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** A change-notification subscription (https://learn.microsoft.com/graph/api/resources/subscription). */
public final class Subscription {
    /** What a subscription watches. */
    public enum Kind { PRESENCE, USERS }

    /** Delivery state. */
    public enum State {
        ACTIVE,
        /** reauthorizationRequired was sent with pause: deliveries wait for reauthorize or a renewal. */
        PAUSED,
        /** "Lost" by the control API: still listed, nothing delivered (a silent failure on Graph's side). */
        SILENT
    }

    /** One delivery attempt (change or lifecycle notification), for the control API. */
    public record Delivery(Instant time, String kind, String url, int attempt, int status, String error,
                           long millis) { }

    private static final int DELIVERY_LOG = 200;

    private final String id;
    private final String tenantId;
    private final String applicationId;
    private final String creatorId;
    private final String resource;
    private final Kind kind;
    /** Watched user ids (lower case); empty for all users of the tenant (resource {@code users}). */
    private final Set<String> userIds;
    private final String changeType;
    private final Set<String> changeTypes;
    private final String clientState;
    private final boolean includeResourceData;
    private final String latestSupportedTlsVersion;
    private final String notificationUrl;
    private final String lifecycleNotificationUrl;
    private volatile Instant expirationDateTime;
    private volatile String encryptionCertificate;
    private volatile X509Certificate certificate;
    private volatile String encryptionCertificateId;
    private volatile State state = State.ACTIVE;
    private final List<Delivery> deliveries = new ArrayList<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    @SuppressWarnings("checkstyle:ParameterNumber")
    Subscription(String id, String tenantId, String applicationId, String creatorId, String resource, Kind kind,
                 Set<String> userIds, String changeType, Set<String> changeTypes, String clientState,
                 boolean includeResourceData, String latestSupportedTlsVersion, String notificationUrl,
                 String lifecycleNotificationUrl, Instant expirationDateTime, String encryptionCertificate,
                 X509Certificate certificate, String encryptionCertificateId) {
        this.id = id;
        this.tenantId = tenantId;
        this.applicationId = applicationId;
        this.creatorId = creatorId;
        this.resource = resource;
        this.kind = kind;
        this.userIds = Set.copyOf(userIds);
        this.changeType = changeType;
        this.changeTypes = Set.copyOf(changeTypes);
        this.clientState = clientState;
        this.includeResourceData = includeResourceData;
        this.latestSupportedTlsVersion = latestSupportedTlsVersion;
        this.notificationUrl = notificationUrl;
        this.lifecycleNotificationUrl = lifecycleNotificationUrl;
        this.expirationDateTime = expirationDateTime;
        this.encryptionCertificate = encryptionCertificate;
        this.certificate = certificate;
        this.encryptionCertificateId = encryptionCertificateId;
    }

    public String id() { return id; }
    public String tenantId() { return tenantId; }
    public String applicationId() { return applicationId; }
    public String creatorId() { return creatorId; }
    public String resource() { return resource; }
    public Kind kind() { return kind; }
    public Set<String> userIds() { return userIds; }
    public String changeType() { return changeType; }
    public Set<String> changeTypes() { return changeTypes; }
    public String clientState() { return clientState; }
    public boolean includeResourceData() { return includeResourceData; }
    public String latestSupportedTlsVersion() { return latestSupportedTlsVersion; }
    public String notificationUrl() { return notificationUrl; }
    public String lifecycleNotificationUrl() { return lifecycleNotificationUrl; }
    public Instant expirationDateTime() { return expirationDateTime; }
    public String encryptionCertificate() { return encryptionCertificate; }
    public X509Certificate certificate() { return certificate; }
    public String encryptionCertificateId() { return encryptionCertificateId; }
    public State state() { return state; }
    public long delivered() { return delivered.get(); }
    public long failedAttempts() { return failedAttempts.get(); }
    public long dropped() { return dropped.get(); }

    public boolean expired(Instant now) {
        return !expirationDateTime.isAfter(now);
    }

    void expirationDateTime(Instant expiration) { this.expirationDateTime = expiration; }

    void certificate(String base64, X509Certificate cert, String certId) {
        this.encryptionCertificate = base64;
        this.certificate = cert;
        this.encryptionCertificateId = certId;
    }

    void state(State s) { this.state = s; }

    boolean watches(String userId) {
        return userIds.isEmpty() || userIds.contains(userId.toLowerCase(java.util.Locale.ROOT));
    }

    void record(Delivery d) {
        if (d.status() >= 200 && d.status() < 300) {
            if ("change".equals(d.kind())) {
                delivered.incrementAndGet();
            }
        } else if (!"validation".equals(d.kind())) {
            failedAttempts.incrementAndGet();
        }
        synchronized (deliveries) {
            deliveries.add(d);
            if (deliveries.size() > DELIVERY_LOG) {
                deliveries.remove(0);
            }
        }
    }

    void droppedOne() { dropped.incrementAndGet(); }

    /** The recent delivery attempts, oldest first. */
    public List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }
}
