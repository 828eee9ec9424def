package dev.entrapbx.simulator.presence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Calendar events of users, as far as free/busy (getSchedule) needs them. */
public final class CalendarStore {
    /** The showAs values of an Outlook event (freeBusyStatus). */
    public static final Set<String> SHOW_AS = Set.of("free", "tentative", "busy", "oof", "workingElsewhere");

    /** One event; {@code showAs} is one of {@link #SHOW_AS}. */
    public record Event(String id, Instant start, Instant end, String showAs, String subject, String location,
                        boolean isPrivate) { }

    private final Map<String, List<Event>> calendars = new ConcurrentHashMap<>();

    public Event add(String tenantId, String userId, Instant start, Instant end, String showAs, String subject,
                     String location, boolean isPrivate) {
        if (start == null || end == null || !end.isAfter(start)) {
            throw new IllegalArgumentException("An event needs a start before its end");
        }
        String status = normalizeShowAs(showAs == null ? "busy" : showAs);
        Event e = new Event(UUID.randomUUID().toString(), start, end, status, subject, location, isPrivate);
        List<Event> list = calendars.computeIfAbsent(key(tenantId, userId), k -> new ArrayList<>());
        synchronized (list) {
            list.add(e);
            list.sort(Comparator.comparing(Event::start));
        }
        return e;
    }

    public boolean remove(String tenantId, String userId, String eventId) {
        List<Event> list = calendars.get(key(tenantId, userId));
        if (list == null) {
            return false;
        }
        synchronized (list) {
            return list.removeIf(e -> e.id().equals(eventId));
        }
    }

    public void clear(String tenantId, String userId) {
        calendars.remove(key(tenantId, userId));
    }

    /** Events overlapping [from, to), by start. */
    public List<Event> events(String tenantId, String userId, Instant from, Instant to) {
        List<Event> list = calendars.get(key(tenantId, userId));
        if (list == null) {
            return List.of();
        }
        synchronized (list) {
            return list.stream().filter(e -> e.start().isBefore(to) && e.end().isAfter(from)).toList();
        }
    }

    public void reset() {
        calendars.clear();
    }

    static String normalizeShowAs(String showAs) {
        for (String s : SHOW_AS) {
            if (s.equalsIgnoreCase(showAs)) {
                return s;
            }
        }
        if ("unknown".equalsIgnoreCase(showAs)) {
            return "free";
        }
        throw new IllegalArgumentException("showAs must be one of " + SHOW_AS + ": " + showAs);
    }

    private static String key(String tenantId, String userId) {
        return tenantId.toLowerCase(Locale.ROOT) + "/" + userId.toLowerCase(Locale.ROOT);
    }
}
