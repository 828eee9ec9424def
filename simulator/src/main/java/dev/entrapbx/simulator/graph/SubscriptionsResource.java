package dev.entrapbx.simulator.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.notifications.NotificationService;
import dev.entrapbx.simulator.notifications.Subscription;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Change-notification subscriptions (subscription-post-subscriptions, subscription-update, subscription-delete,
 * subscription-list, subscription-get) for Teams presence ({@code communications/presences/{id}} and
 * {@code /communications/presences?$filter=id in ('..','..')}, up to 650 ids, changeType {@code updated}, at most
 * 60 minutes, rich notifications with includeResourceData) and users ({@code users}, {@code users/{id}}, changeType
 * {@code updated,deleted}, at most 41,760 minutes).
 */
final class SubscriptionsResource {
    static final Duration PRESENCE_MAX = Duration.ofMinutes(60);
    static final Duration USERS_MAX = Duration.ofMinutes(41_760);
    private static final Pattern ONE_PRESENCE = Pattern.compile("^/?communications/presences/([^/?]+)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern PRESENCES = Pattern.compile(
            "^/?communications/presences\\?\\$filter=id\\s+in\\s*\\((.*)\\)\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    private static final Pattern ALL_USERS = Pattern.compile("^/?users/?$", Pattern.CASE_INSENSITIVE);
    private static final Pattern ONE_USER = Pattern.compile("^/?users/([^/?]+)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern GUID = Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    /** Presence subscriptions: delegated Presence.Read.All (changenotifications-for-presence). */
    private static final List<String> PRESENCE_PERMISSIONS = List.of("Presence.Read.All", "Presence.ReadWrite.All");
    /** users: User.Read.All (subscription-post-subscriptions). */
    private static final List<String> USER_PERMISSIONS = List.of("User.Read.All", "User.ReadWrite.All",
            "Directory.Read.All", "Directory.ReadWrite.All");

    private final String baseUrl;
    private final Directory directory;
    private final NotificationService notifications;
    private final Clock clock;

    SubscriptionsResource(String baseUrl, Directory directory, NotificationService notifications, Clock clock) {
        this.baseUrl = baseUrl;
        this.directory = directory;
        this.notifications = notifications;
        this.clock = clock;
    }

    Response create(GraphRequest g) {
        JsonNode b = body(g);
        String changeType = required(b, "changeType");
        String notificationUrl = required(b, "notificationUrl");
        String resource = required(b, "resource");
        String expirationText = required(b, "expirationDateTime");
        String lifecycleUrl = Json.textOrNull(b, "lifecycleNotificationUrl");
        String clientState = Json.textOrNull(b, "clientState");
        if (clientState != null && clientState.length() > 128) {
            throw invalid("clientState must not be longer than 128 characters.");
        }
        boolean includeResourceData = b.path("includeResourceData").asBoolean(false);
        String decodedResource = URLDecoder.decode(resource.replace("+", "%2B"), StandardCharsets.UTF_8);

        Subscription.Kind kind;
        List<String> userIds = new ArrayList<>();
        Set<String> allowedChangeTypes;
        Duration max;
        Matcher m;
        if ((m = ONE_PRESENCE.matcher(decodedResource)).matches() || (m = PRESENCES.matcher(decodedResource)).matches()) {
            kind = Subscription.Kind.PRESENCE;
            if (m.pattern() == ONE_PRESENCE) {
                userIds.add(m.group(1));
            } else {
                Matcher q = QUOTED.matcher(m.group(1));
                while (q.find()) {
                    userIds.add(q.group(1));
                }
                if (userIds.isEmpty()) {
                    throw invalid("The resource's $filter must list user ids: id in ('{id}', ...).");
                }
            }
            if (userIds.size() > PresenceResource.MAX_IDS) {
                throw invalid("A presence subscription supports at most " + PresenceResource.MAX_IDS + " user ids ("
                        + userIds.size() + " given).");
            }
            for (String id : userIds) {
                if (!GUID.matcher(id).matches()) {
                    throw invalid("Invalid user id '" + id + "' in resource: use user object ids.");
                }
            }
            if (!g.principal().hasAny(PRESENCE_PERMISSIONS)) {
                throw forbidden();
            }
            if (g.principal().appOnly() && !notifications.settings().appOnlyPresenceSubscriptions()) {
                // changenotifications-for-presence: Application permissions "Not supported"
                throw new GraphException(403, "ExtensionError", "Operation: Create; Exception: [Status Code: Forbidden; "
                        + "Reason: Presence subscriptions are not supported with application permissions.]");
            }
            allowedChangeTypes = Set.of("updated");
            max = PRESENCE_MAX;
        } else if (ALL_USERS.matcher(decodedResource).matches() || (m = ONE_USER.matcher(decodedResource)).matches()) {
            kind = Subscription.Kind.USERS;
            if (!ALL_USERS.matcher(decodedResource).matches()) {
                String id = m.group(1);
                userIds.add(directory.user(g.tenantId(), id).map(u -> u.id()).orElseThrow(() -> invalid(
                        "Resource '" + resource + "' does not exist.")));
            }
            if (!g.principal().hasAny(USER_PERMISSIONS)) {
                throw forbidden();
            }
            if (includeResourceData) {
                throw invalid("includeResourceData is not supported for resource '" + resource + "'.");
            }
            allowedChangeTypes = Set.of("updated", "deleted");
            max = USERS_MAX;
        } else {
            throw invalid("Resource '" + resource + "' is not supported by the simulator (presence and users only).");
        }
        Set<String> changeTypes = new LinkedHashSet<>();
        for (String t : changeType.split(",")) {
            String ct = t.trim().toLowerCase(Locale.ROOT);
            if (!allowedChangeTypes.contains(ct)) {
                throw invalid("ChangeType '" + t.trim() + "' is not supported for resource '" + resource
                        + "'. Supported: " + String.join(", ", allowedChangeTypes) + ".");
            }
            changeTypes.add(ct);
        }
        Instant expiration = expiration(expirationText, max);
        checkUrl(notificationUrl, "notificationUrl");
        if (lifecycleUrl != null) {
            checkUrl(lifecycleUrl, "lifecycleNotificationUrl");
        }
        String certificateBase64 = Json.textOrNull(b, "encryptionCertificate");
        String certificateId = Json.textOrNull(b, "encryptionCertificateId");
        X509Certificate certificate = null;
        if (includeResourceData) {
            if (certificateBase64 == null || certificateId == null) {
                throw invalid("encryptionCertificate and encryptionCertificateId are required when "
                        + "includeResourceData is true.");
            }
            certificate = certificate(certificateBase64);
        }
        String tls = b.hasNonNull("latestSupportedTlsVersion") ? b.get("latestSupportedTlsVersion").asText() : "v1_2";
        Subscription s = notifications.create(g.tenantId(), g.principal().appId(), g.principal().objectId(), resource,
                kind, userIds, changeType, changeTypes, clientState, includeResourceData, tls, notificationUrl,
                lifecycleUrl, expiration, certificateBase64, certificate, certificateId)
                .orElseThrow(() -> invalid("Subscription validation request failed. Notification endpoint must respond "
                        + "with 200 OK to validation request."));
        ObjectNode o = render(s);
        o.put("@odata.context", baseUrl + "/v1.0/$metadata#subscriptions/$entity");
        return Response.odata(201, reorder(o));
    }

    Response update(GraphRequest g) {
        Subscription s = owned(g);
        JsonNode b = body(g);
        String expirationText = Json.textOrNull(b, "expirationDateTime");
        if (expirationText != null) {
            notifications.renew(s, expiration(expirationText,
                    s.kind() == Subscription.Kind.PRESENCE ? PRESENCE_MAX : USERS_MAX));
        }
        String cert = Json.textOrNull(b, "encryptionCertificate");
        if (cert != null) {
            String certId = Json.textOrNull(b, "encryptionCertificateId");
            notifications.updateCertificate(s, cert, certificate(cert), certId != null ? certId : s.encryptionCertificateId());
        }
        ObjectNode o = render(s);
        o.put("@odata.context", baseUrl + "/v1.0/$metadata#subscriptions/$entity");
        return Response.odata(200, reorder(o));
    }

    Response reauthorize(GraphRequest g) {
        notifications.reauthorize(owned(g));
        return Response.empty(204);
    }

    Response delete(GraphRequest g) {
        Subscription s = owned(g);
        notifications.delete(s.id());
        return Response.empty(204);
    }

    Response get(GraphRequest g) {
        ObjectNode o = render(owned(g));
        o.put("@odata.context", baseUrl + "/v1.0/$metadata#subscriptions/$entity");
        return Response.odata(200, reorder(o));
    }

    /** subscription-list: app-only callers see the subscriptions their app created. */
    Response list(GraphRequest g) {
        ObjectNode page = Json.object();
        page.put("@odata.context", baseUrl + "/v1.0/$metadata#subscriptions");
        ArrayNode values = page.putArray("value");
        for (Subscription s : notifications.list()) {
            if (visible(g, s)) {
                values.add(render(s));
            }
        }
        return Response.odata(200, page);
    }

    private Subscription owned(GraphRequest g) {
        String id = g.http().pathVariable("id");
        return notifications.get(id).filter(s -> visible(g, s)).orElseThrow(() -> new GraphException(404,
                "ResourceNotFound", "The object was not found."));
    }

    private static boolean visible(GraphRequest g, Subscription s) {
        return s.tenantId().equalsIgnoreCase(g.tenantId()) && s.applicationId().equalsIgnoreCase(g.principal().appId())
                && (g.principal().appOnly() || g.principal().objectId() == null
                    || g.principal().objectId().equalsIgnoreCase(s.creatorId()));
    }

    private static ObjectNode reorder(ObjectNode o) {
        ObjectNode out = Json.object();
        out.set("@odata.context", o.get("@odata.context"));
        o.fields().forEachRemaining(e -> {
            if (!"@odata.context".equals(e.getKey())) {
                out.set(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    static ObjectNode render(Subscription s) {
        ObjectNode o = Json.object();
        o.put("id", s.id());
        o.put("resource", s.resource());
        o.put("applicationId", s.applicationId());
        o.put("changeType", s.changeType());
        o.put("clientState", s.clientState());
        o.put("notificationUrl", s.notificationUrl());
        o.putNull("notificationQueryOptions");
        o.put("lifecycleNotificationUrl", s.lifecycleNotificationUrl());
        o.put("expirationDateTime", s.expirationDateTime().toString());
        o.put("creatorId", s.creatorId());
        o.put("includeResourceData", s.includeResourceData());
        o.put("latestSupportedTlsVersion", s.latestSupportedTlsVersion());
        o.put("encryptionCertificate", s.encryptionCertificate());
        o.put("encryptionCertificateId", s.encryptionCertificateId());
        o.putNull("notificationUrlAppId");
        return o;
    }

    private Instant expiration(String text, Duration max) {
        Instant expiration;
        try {
            expiration = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                expiration = java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw invalid("expirationDateTime '" + text + "' is not a valid date and time.");
            }
        }
        Instant now = clock.instant();
        if (!expiration.isAfter(now)) {
            throw invalid("Subscription expiration can only be in the future.");
        }
        if (expiration.isAfter(now.plus(max).plusSeconds(60))) {
            throw invalid("Subscription expiration can only be " + max.toMinutes() + " minutes in the future.");
        }
        return expiration;
    }

    /** HTTPS as Graph requires, or http:// on a loopback address (a simulator allowance for tests). */
    private static void checkUrl(String url, String field) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw invalid("The " + field + " '" + url + "' is not a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ("https".equals(scheme) && uri.getHost() != null) {
            return;
        }
        if ("http".equals(scheme) && uri.getHost() != null && loopback(uri.getHost())) {
            return;
        }
        throw invalid("The " + field + " must use the HTTPS protocol (the simulator also accepts http:// on loopback).");
    }

    private static boolean loopback(String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static X509Certificate certificate(String base64) {
        try {
            String clean = base64.replace("-----BEGIN CERTIFICATE-----", "").replace("-----END CERTIFICATE-----", "")
                    .replaceAll("\\s", "");
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(clean)));
            if (!(c.getPublicKey() instanceof RSAPublicKey rsa) || rsa.getModulus().bitLength() < 2048
                    || rsa.getModulus().bitLength() > 4096) {
                throw invalid("The encryptionCertificate must hold an RSA key of 2048 to 4096 bits.");
            }
            return c;
        } catch (CertificateException | IllegalArgumentException e) {
            throw invalid("The encryptionCertificate is not a base64-encoded X.509 certificate.");
        }
    }

    private static GraphException invalid(String message) {
        return new GraphException(400, "InvalidRequest", message);
    }

    private static GraphException forbidden() {
        return new GraphException(403, "ExtensionError", "Operation: Create; Exception: [Status Code: Forbidden; "
                + "Reason: The caller does not have the permission required to subscribe to this resource.]");
    }

    private static JsonNode body(GraphRequest g) {
        JsonNode b;
        try {
            b = g.http().body().length == 0 ? null : Json.parse(g.http().body());
        } catch (IllegalArgumentException e) {
            b = null;
        }
        if (b == null || !b.isObject()) {
            throw invalid("A JSON object request body is required.");
        }
        return b;
    }

    private static String required(JsonNode b, String field) {
        String v = Json.textOrNull(b, field);
        if (v == null || v.isBlank()) {
            throw invalid("The '" + field + "' property is required.");
        }
        return v;
    }
}
