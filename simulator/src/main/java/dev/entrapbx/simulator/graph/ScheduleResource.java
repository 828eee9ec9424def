package dev.entrapbx.simulator.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.simulator.presence.CalendarStore;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * calendar-getschedule: free/busy of users for a period ({@code schedules}, {@code startTime}, {@code endTime} as
 * dateTimeTimeZone, {@code availabilityViewInterval} 5..1440 minutes, default 30), answered as a collection of
 * scheduleInformation: scheduleItems, availabilityView (one digit per slot: 0 free, 1 tentative, 2 busy, 3 oof,
 * 4 working elsewhere) and workingHours. Times are answered in UTC unless {@code Prefer: outlook.timezone} asks for
 * another zone.
 */
final class ScheduleResource {
    private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS");
    private static final Duration MAX_PERIOD = Duration.ofDays(62);
    /** Windows time zone names Graph uses, for the simulator's few supported zones (others: IANA names). */
    private static final Map<String, String> WINDOWS_ZONES = Map.ofEntries(
            Map.entry("utc", "UTC"), Map.entry("coordinated universal time", "UTC"),
            Map.entry("pacific standard time", "America/Los_Angeles"), Map.entry("eastern standard time", "America/New_York"),
            Map.entry("central standard time", "America/Chicago"), Map.entry("gmt standard time", "Europe/London"),
            Map.entry("w. europe standard time", "Europe/Berlin"), Map.entry("romance standard time", "Europe/Paris"),
            Map.entry("central europe standard time", "Europe/Budapest"), Map.entry("tokyo standard time", "Asia/Tokyo"));

    private final String baseUrl;
    private final Directory directory;
    private final CalendarStore calendars;

    ScheduleResource(String baseUrl, Directory directory, CalendarStore calendars) {
        this.baseUrl = baseUrl;
        this.directory = directory;
        this.calendars = calendars;
    }

    Response getSchedule(GraphRequest g) {
        directory.user(g.tenantId(), g.http().pathVariable("uid")).orElseThrow(() -> new GraphException(404,
                "ErrorInvalidUser", "The requested user '" + g.http().pathVariable("uid") + "' is invalid."));
        JsonNode b;
        try {
            b = g.http().body().length == 0 ? null : Json.parse(g.http().body());
        } catch (IllegalArgumentException e) {
            b = null;
        }
        if (b == null || !b.isObject()) {
            throw GraphException.badRequest("ErrorInvalidRequest", "The request body is not valid JSON.");
        }
        // action parameters bind case-insensitively in Graph: the Java SDK sends Schedules, StartTime, EndTime, AvailabilityViewInterval
        b = Json.lowerCaseKeys(b);
        JsonNode schedules = b.get("schedules");
        if (schedules == null || !schedules.isArray() || schedules.isEmpty()) {
            throw GraphException.badRequest("ErrorInvalidParameter", "The 'schedules' parameter is required.");
        }
        Instant start = dateTimeTimeZone(b.get("starttime"), "startTime");
        Instant end = dateTimeTimeZone(b.get("endtime"), "endTime");
        if (!end.isAfter(start)) {
            throw GraphException.badRequest("ErrorInvalidParameter", "The endTime must be after the startTime.");
        }
        if (Duration.between(start, end).compareTo(MAX_PERIOD) > 0) {
            throw GraphException.badRequest("ErrorInvalidParameter", "The time period must not exceed 62 days.");
        }
        int interval = b.path("availabilityviewinterval").asInt(30);
        if (interval < 5 || interval > 1440) {
            throw GraphException.badRequest("ErrorInvalidParameter",
                    "availabilityViewInterval must be between 5 and 1440 minutes.");
        }
        ZoneId outZone = g.http().header("Prefer").flatMap(ScheduleResource::preferredZone).orElse(ZoneOffset.UTC);
        String outZoneName = g.http().header("Prefer").flatMap(ScheduleResource::preferredZoneName).orElse("UTC");
        ObjectNode page = Json.object();
        page.put("@odata.context", baseUrl + "/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)");
        ArrayNode values = page.putArray("value");
        for (JsonNode s : schedules) {
            String address = s.asText();
            ObjectNode info = values.addObject();
            info.put("scheduleId", address);
            Optional<User> owner = findByAddress(g.tenantId(), address);
            if (owner.isEmpty()) {
                info.put("availabilityView", "");
                info.putArray("scheduleItems");
                ObjectNode error = info.putObject("error");
                error.put("message", "The specified mailbox '" + address + "' could not be found.");
                error.put("responseCode", "ErrorMailRecipientNotFound");
                continue;
            }
            List<CalendarStore.Event> events = calendars.events(g.tenantId(), owner.get().id(), start, end);
            info.put("availabilityView", availabilityView(events, start, end, interval));
            ArrayNode items = info.putArray("scheduleItems");
            for (CalendarStore.Event e : events) {
                ObjectNode item = items.addObject();
                item.put("isPrivate", e.isPrivate());
                item.put("status", e.showAs());
                if (!e.isPrivate()) {
                    item.put("subject", e.subject());
                    item.put("location", e.location());
                }
                item.set("start", dateTimeTimeZone(e.start(), outZone, outZoneName));
                item.set("end", dateTimeTimeZone(e.end(), outZone, outZoneName));
            }
            ObjectNode hours = info.putObject("workingHours");
            ArrayNode days = hours.putArray("daysOfWeek");
            for (String d : new String[] {"monday", "tuesday", "wednesday", "thursday", "friday"}) {
                days.add(d);
            }
            hours.put("startTime", "08:00:00.0000000");
            hours.put("endTime", "17:00:00.0000000");
            hours.putObject("timeZone").put("name", "UTC");
        }
        return Response.odata(200, page);
    }

    /** One digit per interval: the strongest status of the events overlapping it. */
    static String availabilityView(List<CalendarStore.Event> events, Instant start, Instant end, int intervalMinutes) {
        StringBuilder view = new StringBuilder();
        Duration step = Duration.ofMinutes(intervalMinutes);
        for (Instant slot = start; slot.isBefore(end); slot = slot.plus(step)) {
            Instant slotEnd = slot.plus(step);
            int best = 0;
            for (CalendarStore.Event e : events) {
                if (e.start().isBefore(slotEnd) && e.end().isAfter(slot)) {
                    best = Math.max(best, strength(e.showAs()));
                }
            }
            view.append(digit(best));
        }
        return view.toString();
    }

    private static int strength(String showAs) {
        return switch (showAs) {
            case "oof" -> 4;
            case "busy" -> 3;
            case "tentative" -> 2;
            case "workingElsewhere" -> 1;
            default -> 0;
        };
    }

    private static char digit(int strength) {
        return switch (strength) {
            case 4 -> '3';
            case 3 -> '2';
            case 2 -> '1';
            case 1 -> '4';
            default -> '0';
        };
    }

    private Optional<User> findByAddress(String tenantId, String address) {
        Optional<User> byUpn = directory.user(tenantId, address);
        if (byUpn.isPresent()) {
            return byUpn;
        }
        return directory.read(tenantId, r -> r.users().values().stream()
                .filter(u -> u.mail() != null && u.mail().equalsIgnoreCase(address)).findFirst());
    }

    private static Instant dateTimeTimeZone(JsonNode node, String name) {
        if (node == null || !node.isObject() || Json.textOrNull(node, "dateTime") == null) {
            throw GraphException.badRequest("ErrorInvalidParameter", "The '" + name + "' parameter is required.");
        }
        String zoneName = Optional.ofNullable(Json.textOrNull(node, "timeZone")).orElse("UTC");
        ZoneId zone = zone(zoneName).orElseThrow(() -> GraphException.badRequest("ErrorInvalidTimeZone",
                "The time zone '" + zoneName + "' is not supported."));
        try {
            String text = Json.textOrNull(node, "dateTime");
            if (text.endsWith("Z")) {
                return Instant.parse(text);
            }
            return LocalDateTime.parse(text).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            throw GraphException.badRequest("ErrorInvalidParameter", "The '" + name + "' dateTime is not valid.");
        }
    }

    private static ObjectNode dateTimeTimeZone(Instant t, ZoneId zone, String zoneName) {
        return Json.object().put("dateTime", OUT.format(LocalDateTime.ofInstant(t, zone))).put("timeZone", zoneName);
    }

    static Optional<ZoneId> zone(String name) {
        String mapped = WINDOWS_ZONES.get(name.toLowerCase(Locale.ROOT));
        try {
            return Optional.of(ZoneId.of(mapped != null ? mapped : name));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> preferredZoneName(String prefer) {
        for (String part : prefer.split(",")) {
            String p = part.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("outlook.timezone=")) {
                return Optional.of(p.substring(p.indexOf('=') + 1).replace("\"", "").trim());
            }
        }
        return Optional.empty();
    }

    private static Optional<ZoneId> preferredZone(String prefer) {
        return preferredZoneName(prefer).flatMap(ScheduleResource::zone);
    }
}
