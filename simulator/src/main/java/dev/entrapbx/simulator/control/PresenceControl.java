package dev.entrapbx.simulator.control;

import static dev.entrapbx.simulator.control.ControlBodies.body;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.EntraSimulator;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.directory.DirectoryException;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.http.Router;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.simulator.notifications.NotificationService;
import dev.entrapbx.simulator.notifications.Subscription;
import dev.entrapbx.simulator.presence.CalendarStore;
import dev.entrapbx.simulator.presence.PresenceGenerator;
import dev.entrapbx.simulator.presence.PresenceState;
import dev.entrapbx.simulator.presence.PresenceStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Control API for presence ({@code /_sim/tenants/{tid}/presence/{user}}), calendars
 * ({@code /_sim/tenants/{tid}/calendars/{user}/events}), the presence generator, subscriptions
 * ({@code /_sim/subscriptions}) and notification settings. See simulator/README.md.
 */
final class PresenceControl {
    private static final String T = "/_sim/tenants/{tid}";
    private static final String P = T + "/presence/{user}";
    private static final String S = "/_sim/subscriptions/{id:[^/:]+}";

    private final EntraSimulator sim;
    private final Directory directory;
    private final PresenceStore presence;
    private final CalendarStore calendars;
    private final NotificationService notifications;
    private final PresenceGenerator generator;

    PresenceControl(EntraSimulator sim) {
        this.sim = sim;
        this.directory = sim.directory();
        this.presence = sim.presence();
        this.calendars = sim.calendars();
        this.notifications = sim.notifications();
        this.generator = sim.presenceGenerator();
    }

    void register(Router r) {
        r.get(P, req -> json(200, snapshot(presence.snapshot(tid(req), user(req).id()))))
         .patch(P, req -> json(200, snapshot(patch(req))))
         .put(P, req -> json(200, snapshot(patch(req))))
         .get(P + "/log", req -> {
             ArrayNode a = Json.array();
             for (PresenceStore.LogEntry e : presence.log(tid(req), user(req).id())) {
                 ObjectNode o = a.addObject();
                 o.put("time", e.time().toString());
                 o.put("operation", e.operation());
                 o.put("sessionId", e.sessionId());
                 o.put("appId", e.appId());
                 o.put("availability", e.availability());
                 o.put("activity", e.activity());
                 o.put("expirationDuration", e.expirationDuration());
             }
             return json(200, a);
         })
         .post(P + "/sessions/{sid:[^/:]+}:expire", req -> presence.expireSession(tid(req), user(req).id(),
                 req.pathVariable("sid")) ? json(200, snapshot(presence.snapshot(tid(req), user(req).id())))
                 : error(404, "No presence session " + req.pathVariable("sid")))
         .post(T + "/presence:generate", req -> {
             JsonNode b = req.body().length == 0 ? Json.object() : Json.parse(req.body());
             return json(200, status(generator.start(req.pathVariable("tid"), b.path("count").asInt(0),
                     b.path("changesPerSecond").asDouble(0), b.path("seed").asLong(42))));
         })
         .get("/_sim/presence:generate", req -> json(200, status(generator.status())))
         .delete("/_sim/presence:generate", req -> {
             generator.stop();
             return json(200, status(generator.status()));
         })
         // calendars
         .get(T + "/calendars/{user}/events", req -> {
             ArrayNode a = Json.array();
             calendars.events(tid(req), user(req).id(), Instant.MIN, Instant.MAX).forEach(e -> a.add(event(e)));
             return json(200, a);
         })
         .post(T + "/calendars/{user}/events", req -> {
             JsonNode b = body(req);
             CalendarStore.Event e = calendars.add(tid(req), user(req).id(), instant(b, "start"), instant(b, "end"),
                     Json.textOrNull(b, "showAs"), Json.textOrNull(b, "subject"), Json.textOrNull(b, "location"),
                     b.path("isPrivate").asBoolean(false));
             return json(201, event(e));
         })
         .delete(T + "/calendars/{user}/events/{eid}", req -> calendars.remove(tid(req), user(req).id(),
                 req.pathVariable("eid")) ? Response.empty(204) : error(404, "No event " + req.pathVariable("eid")))
         .delete(T + "/calendars/{user}/events", req -> {
             calendars.clear(tid(req), user(req).id());
             return Response.empty(204);
         })
         // subscriptions and deliveries
         .get("/_sim/subscriptions", req -> {
             ArrayNode a = Json.array();
             notifications.list().forEach(s -> a.add(subscription(s, false)));
             return json(200, a);
         })
         .get(S, req -> json(200, subscription(sub(req), true)))
         .post(S + ":lifecycle", req -> {
             JsonNode b = body(req);
             String event = Json.textOrNull(b, "lifecycleEvent");
             if (!List.of("reauthorizationRequired", "subscriptionRemoved", "missed").contains(event)) {
                 throw new IllegalArgumentException("lifecycleEvent must be reauthorizationRequired, subscriptionRemoved "
                         + "or missed");
             }
             Subscription s = sub(req);
             notifications.lifecycle(s, event, b.path("pause").asBoolean(false));
             return json(200, subscription(s, false));
         })
         .post(S + ":lose", req -> {
             JsonNode b = req.body().length == 0 ? Json.object() : Json.parse(req.body());
             NotificationService.LossMode mode = NotificationService.LossMode.valueOf(
                     b.path("mode").asText("silent").toUpperCase(Locale.ROOT));
             Subscription s = sub(req);
             notifications.lose(s, mode);
             return json(200, subscription(s, false).put("lost", mode.name().toLowerCase(Locale.ROOT)));
         })
         .get("/_sim/notifications/settings", req -> json(200, settings(notifications.settings())))
         .put("/_sim/notifications/settings", req -> {
             JsonNode b = body(req);
             NotificationService.Settings cur = notifications.settings();
             List<Duration> delays = cur.retryDelays();
             if (b.has("retryDelaysMs")) {
                 delays = new ArrayList<>();
                 for (JsonNode d : b.get("retryDelaysMs")) {
                     delays.add(Duration.ofMillis(d.asLong()));
                 }
             }
             notifications.settings(new NotificationService.Settings(
                     b.has("validationTimeoutMs") ? Duration.ofMillis(b.get("validationTimeoutMs").asLong()) : cur.validationTimeout(),
                     b.has("deliveryTimeoutMs") ? Duration.ofMillis(b.get("deliveryTimeoutMs").asLong()) : cur.deliveryTimeout(),
                     List.copyOf(delays),
                     b.has("retryWindowMs") ? Duration.ofMillis(b.get("retryWindowMs").asLong()) : cur.retryWindow(),
                     b.has("appOnlyPresenceSubscriptions") ? b.get("appOnlyPresenceSubscriptions").asBoolean()
                             : cur.appOnlyPresenceSubscriptions()));
             return json(200, settings(notifications.settings()));
         });
    }

    private PresenceStore.Snapshot patch(Request req) {
        JsonNode b = body(req);
        String tid = tid(req);
        String uid = user(req).id();
        PresenceStore.Snapshot cur = presence.snapshot(tid, uid);
        if (b.has("licensed")) {
            cur = presence.setLicensed(tid, uid, b.get("licensed").asBoolean());
        }
        if (b.has("availability") || b.has("activity") || b.has("outOfOfficeSettings") || b.has("userConfigured")) {
            PresenceState own = cur.own();
            String availability = b.has("availability") ? pick(PresenceState.AVAILABILITIES, b.get("availability").asText(),
                    "availability") : own.availability();
            String activity = b.has("activity") ? pick(PresenceState.ACTIVITIES, b.get("activity").asText(), "activity")
                    : b.has("availability") ? availability : own.activity();
            JsonNode oof = b.get("outOfOfficeSettings");
            String message = oof != null && oof.has("message") ? Json.textOrNull(oof, "message") : own.outOfOfficeMessage();
            boolean isOof = oof != null && oof.has("isOutOfOffice") ? oof.get("isOutOfOffice").asBoolean() : own.outOfOffice();
            boolean userConfigured = b.has("userConfigured") ? b.get("userConfigured").asBoolean() : cur.userConfigured();
            cur = presence.setOwn(tid, uid, new PresenceState(availability, activity, message, isOof), userConfigured);
        }
        return cur;
    }

    private static String pick(List<String> allowed, String value, String field) {
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value)) {
                return a;
            }
        }
        throw new IllegalArgumentException(field + " must be one of " + allowed + ": " + value);
    }

    private static ObjectNode snapshot(PresenceStore.Snapshot s) {
        ObjectNode o = Json.object();
        o.put("userId", s.userId());
        o.put("licensed", s.licensed());
        o.put("userConfigured", s.userConfigured());
        o.set("own", state(s.own()));
        o.set("presence", state(s.shown()));
        ArrayNode sessions = o.putArray("sessions");
        for (PresenceStore.AppSession a : s.sessions()) {
            sessions.addObject().put("sessionId", a.sessionId()).put("appId", a.appId())
                    .put("availability", a.availability()).put("activity", a.activity())
                    .put("expiresAt", a.expiresAt().toString());
        }
        return o;
    }

    private static ObjectNode state(PresenceState p) {
        ObjectNode o = Json.object().put("availability", p.availability()).put("activity", p.activity());
        o.putObject("outOfOfficeSettings").put("message", p.outOfOfficeMessage()).put("isOutOfOffice", p.outOfOffice());
        return o;
    }

    private static ObjectNode status(PresenceGenerator.Status s) {
        return Json.object().put("running", s.running()).put("tenantId", s.tenantId()).put("users", s.users())
                .put("changesPerSecond", s.changesPerSecond()).put("changes", s.changes());
    }

    private static ObjectNode event(CalendarStore.Event e) {
        return Json.object().put("id", e.id()).put("start", e.start().toString()).put("end", e.end().toString())
                .put("showAs", e.showAs()).put("subject", e.subject()).put("location", e.location())
                .put("isPrivate", e.isPrivate());
    }

    private static ObjectNode subscription(Subscription s, boolean withDeliveries) {
        ObjectNode o = Json.object();
        o.put("id", s.id());
        o.put("tenantId", s.tenantId());
        o.put("applicationId", s.applicationId());
        o.put("resource", s.resource());
        o.put("changeType", s.changeType());
        o.put("notificationUrl", s.notificationUrl());
        o.put("lifecycleNotificationUrl", s.lifecycleNotificationUrl());
        o.put("expirationDateTime", s.expirationDateTime().toString());
        o.put("includeResourceData", s.includeResourceData());
        o.put("state", s.state().name().toLowerCase(Locale.ROOT));
        o.put("delivered", s.delivered());
        o.put("failedAttempts", s.failedAttempts());
        o.put("dropped", s.dropped());
        if (withDeliveries) {
            ArrayNode a = o.putArray("deliveries");
            for (Subscription.Delivery d : s.deliveries()) {
                ObjectNode x = a.addObject();
                x.put("time", d.time().toString());
                x.put("kind", d.kind());
                x.put("url", d.url());
                x.put("attempt", d.attempt());
                x.put("status", d.status());
                x.put("error", d.error());
                x.put("millis", d.millis());
            }
        }
        return o;
    }

    private static ObjectNode settings(NotificationService.Settings s) {
        ObjectNode o = Json.object();
        o.put("validationTimeoutMs", s.validationTimeout().toMillis());
        o.put("deliveryTimeoutMs", s.deliveryTimeout().toMillis());
        ArrayNode a = o.putArray("retryDelaysMs");
        s.retryDelays().forEach(d -> a.add(d.toMillis()));
        o.put("retryWindowMs", s.retryWindow().toMillis());
        o.put("appOnlyPresenceSubscriptions", s.appOnlyPresenceSubscriptions());
        return o;
    }

    private Subscription sub(Request req) {
        return notifications.get(req.pathVariable("id")).orElseThrow(() -> DirectoryException.notFound(
                "No subscription " + req.pathVariable("id")));
    }

    private String tid(Request req) {
        return directory.requireTenant(req.pathVariable("tid")).id();
    }

    private User user(Request req) {
        return directory.requireUser(tid(req), req.pathVariable("user"));
    }

    private static Instant instant(JsonNode b, String field) {
        String v = Json.textOrNull(b, field);
        if (v == null) {
            throw new IllegalArgumentException("Field '" + field + "' is required (ISO 8601 instant, e.g. 2026-01-05T09:00:00Z)");
        }
        try {
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("Field '" + field + "' is not an ISO 8601 instant: " + v);
        }
    }

    private static Response json(int status, JsonNode node) {
        return Response.json(status, node);
    }

    private static Response error(int status, String message) {
        return Response.json(status, Json.object().put("error", message));
    }
}
