package dev.entrapbx.presence;

import com.microsoft.graph.communications.getpresencesbyuserid.GetPresencesByUserIdPostRequestBody;
import com.microsoft.graph.communications.getpresencesbyuserid.GetPresencesByUserIdPostResponse;
import com.microsoft.graph.models.DateTimeTimeZone;
import com.microsoft.graph.models.FreeBusyStatus;
import com.microsoft.graph.models.ScheduleInformation;
import com.microsoft.graph.models.ScheduleItem;
import com.microsoft.graph.models.Subscription;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.calendar.getschedule.GetSchedulePostRequestBody;
import com.microsoft.graph.users.item.calendar.getschedule.GetSchedulePostResponse;
import com.microsoft.graph.users.item.presence.clearpresence.ClearPresencePostRequestBody;
import com.microsoft.graph.users.item.presence.setpresence.SetPresencePostRequestBody;
import com.microsoft.kiota.PeriodAndDuration;
import dev.entrapbx.sync.graph.GraphDirectory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Graph's presence, calendar and subscription calls (application permissions), on the sync's client,
 * retry layer ({@code Retry-After} honoured there) and error translation ({@link GraphDirectory#call}):
 * <ul>
 * <li>{@code POST /communications/getPresencesByUserId}, at most {@value #PRESENCE_BATCH} ids
 *     ({@code Presence.Read.All});</li>
 * <li>{@code POST /users/{id}/presence/setPresence} and {@code clearPresence}, the session id being
 *     the app's client id ({@code Presence.ReadWrite.All});</li>
 * <li>{@code POST /users/{id}/calendar/getSchedule}, at most {@value #SCHEDULE_BATCH} addresses
 *     ({@code Calendars.ReadBasic});</li>
 * <li>{@code POST /subscriptions}, {@code PATCH} and {@code DELETE /subscriptions/{id}}.</li>
 * </ul>
 */
final class GraphPresence {

    /** Graph's limit of ids per getPresencesByUserId call. */
    static final int PRESENCE_BATCH = 650;
    /** Addresses per getSchedule call (Exchange answers at most 100 schedules a call; 20 keeps each answer small). */
    static final int SCHEDULE_BATCH = 20;

    private final GraphDirectory graph;
    private final GraphServiceClient client;

    GraphPresence(GraphDirectory graph) {
        this.graph = graph;
        this.client = graph.client();
    }

    int retries() {
        return graph.retries();
    }

    /** Teams presence of these object ids (at most {@value #PRESENCE_BATCH}), by id; an id Graph leaves out is absent. */
    Map<String, Presence> presences(List<String> ids) {
        if (ids.size() > PRESENCE_BATCH) {
            throw new IllegalArgumentException("at most " + PRESENCE_BATCH + " ids per getPresencesByUserId");
        }
        GetPresencesByUserIdPostRequestBody body = new GetPresencesByUserIdPostRequestBody();
        body.setIds(ids);
        GetPresencesByUserIdPostResponse answer = graph.call("POST /communications/getPresencesByUserId", "Presence.Read.All",
                () -> client.communications().getPresencesByUserId().post(body));
        Map<String, Presence> out = new HashMap<>();
        if (answer != null && answer.getValue() != null) {
            for (com.microsoft.graph.models.Presence p : answer.getValue()) {
                if (p.getId() != null) {
                    boolean ooo = p.getOutOfOfficeSettings() != null && Boolean.TRUE.equals(p.getOutOfOfficeSettings().getIsOutOfOffice());
                    out.put(p.getId(), new Presence(p.getAvailability(), p.getActivity(), ooo, Presence.Source.TEAMS));
                }
            }
        }
        return out;
    }

    /** Sets the app's presence session of {@code userId} for {@code hold}. */
    void setPresence(String userId, String sessionId, PbxState state, Duration hold) {
        SetPresencePostRequestBody body = new SetPresencePostRequestBody();
        body.setSessionId(sessionId);
        body.setAvailability(state.availability());
        body.setActivity(state.activity());
        body.setExpirationDuration(PeriodAndDuration.ofDuration(hold));
        graph.call("POST /users/" + userId + "/presence/setPresence", "Presence.ReadWrite.All",
                () -> {
                    client.users().byUserId(userId).presence().setPresence().post(body);
                    return null;
                });
    }

    /** Clears the app's presence session of {@code userId}; a session that no longer exists (404) is cleared already. */
    void clearPresence(String userId, String sessionId) {
        ClearPresencePostRequestBody body = new ClearPresencePostRequestBody();
        body.setSessionId(sessionId);
        try {
            graph.call("POST /users/" + userId + "/presence/clearPresence", "Presence.ReadWrite.All", () -> {
                client.users().byUserId(userId).presence().clearPresence().post(body);
                return null;
            });
        } catch (dev.entrapbx.graph.GraphException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    /**
     * Calendar presence now of these addresses (at most {@value #SCHEDULE_BATCH}), asked through
     * {@code asker}'s calendar: busy, out of office or tentative from the item covering {@code now};
     * an address with no item now is absent, one Graph could not read is absent too.
     */
    Map<String, Presence> schedules(String asker, List<String> addresses, Instant now) {
        GetSchedulePostRequestBody body = new GetSchedulePostRequestBody();
        body.setSchedules(addresses);
        body.setStartTime(utc(now.minusSeconds(60)));
        body.setEndTime(utc(now.plusSeconds(15 * 60)));
        body.setAvailabilityViewInterval(15);
        GetSchedulePostResponse answer = graph.call("POST /users/" + asker + "/calendar/getSchedule", "Calendars.ReadBasic",
                () -> client.users().byUserId(asker).calendar().getSchedule().post(body));
        Map<String, Presence> out = new HashMap<>();
        if (answer == null || answer.getValue() == null) {
            return out;
        }
        for (ScheduleInformation s : answer.getValue()) {
            if (s.getScheduleId() == null || s.getError() != null || s.getScheduleItems() == null) {
                continue;
            }
            FreeBusyStatus strongest = null;
            for (ScheduleItem item : s.getScheduleItems()) {
                if (covers(item, now) && item.getStatus() != null && rank(item.getStatus()) > rank(strongest)) {
                    strongest = item.getStatus();
                }
            }
            Presence p = calendarPresence(strongest);
            if (p != null) {
                out.put(s.getScheduleId().toLowerCase(java.util.Locale.ROOT), p);
            }
        }
        return out;
    }

    /** Calendar status as presence, as Teams shows a meeting: busy Busy/InAMeeting, oof Away/OutOfOffice, tentative Busy/InAMeeting. */
    static Presence calendarPresence(FreeBusyStatus status) {
        if (status == null) {
            return null;
        }
        return switch (status) {
            case Busy, Tentative -> new Presence("Busy", "InAMeeting", false, Presence.Source.CALENDAR);
            case Oof -> new Presence("Away", "OutOfOffice", true, Presence.Source.CALENDAR);
            default -> null;
        };
    }

    private static int rank(FreeBusyStatus s) {
        if (s == null) {
            return 0;
        }
        return switch (s) {
            case Oof -> 4;
            case Busy -> 3;
            case Tentative -> 2;
            default -> 1;
        };
    }

    private static boolean covers(ScheduleItem item, Instant now) {
        Instant start = instant(item.getStart());
        Instant end = instant(item.getEnd());
        return start != null && end != null && !now.isBefore(start) && now.isBefore(end);
    }

    /** Graph's dateTimeTimeZone as an instant; we ask in UTC (no Prefer header), so the zone is UTC. */
    static Instant instant(DateTimeTimeZone t) {
        if (t == null || t.getDateTime() == null) {
            return null;
        }
        String v = t.getDateTime();
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
            } catch (java.time.format.DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static DateTimeTimeZone utc(Instant at) {
        DateTimeTimeZone t = new DateTimeTimeZone();
        t.setDateTime(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(LocalDateTime.ofInstant(at, ZoneOffset.UTC)));
        t.setTimeZone("UTC");
        return t;
    }

    // ---- subscriptions ----

    record Created(String id, Instant expires) {
    }

    Created subscribe(String resource, String changeType, String notificationUrl, String lifecycleUrl, String clientState, Instant expires) {
        Subscription s = new Subscription();
        s.setResource(resource);
        s.setChangeType(changeType);
        s.setNotificationUrl(notificationUrl);
        s.setLifecycleNotificationUrl(lifecycleUrl);
        s.setClientState(clientState);
        s.setExpirationDateTime(expires.atOffset(ZoneOffset.UTC));
        Subscription made = graph.call("POST /subscriptions (" + resource + ")", "User.Read.All", () -> client.subscriptions().post(s));
        if (made == null || made.getId() == null) {
            throw new dev.entrapbx.graph.GraphException("Graph POST /subscriptions gave no subscription id", 0, null, null);
        }
        return new Created(made.getId(), made.getExpirationDateTime() == null ? expires : made.getExpirationDateTime().toInstant());
    }

    Instant renew(String id, Instant expires) {
        Subscription s = new Subscription();
        s.setExpirationDateTime(expires.atOffset(ZoneOffset.UTC));
        Subscription made = graph.call("PATCH /subscriptions/" + id, "User.Read.All",
                () -> client.subscriptions().bySubscriptionId(id).patch(s));
        return made == null || made.getExpirationDateTime() == null ? expires : made.getExpirationDateTime().toInstant();
    }

    /** Whether Graph still has the subscription (GET /subscriptions/{id}; 404: no). */
    boolean exists(String id) {
        try {
            graph.call("GET /subscriptions/" + id, "User.Read.All", () -> client.subscriptions().bySubscriptionId(id).get());
            return true;
        } catch (dev.entrapbx.graph.GraphException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Deletes a subscription; one Graph no longer has (404) is gone already. */
    void unsubscribe(String id) {
        try {
            graph.call("DELETE /subscriptions/" + id, "User.Read.All", () -> {
                client.subscriptions().bySubscriptionId(id).delete();
                return null;
            });
        } catch (dev.entrapbx.graph.GraphException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }
}
