package dev.entrapbx.sync.contacts;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which users' personal contacts a run reads. A full sync reads all. A periodic changed sync reads
 * its share of the refresh time: with N mailboxes, a period of P and a refresh of R, about N * P / R
 * mailboxes per run, those read longest ago first (a mailbox never read counts as read at time 0,
 * so new users come first). Without a period (only manual changed syncs), every run reads all.
 */
public final class PersonalSchedule {

    private PersonalSchedule() {
    }

    /** How many mailboxes a run reads. */
    public static int budget(int mailboxes, boolean fullSync, int periodSeconds, int refreshMinutes) {
        if (fullSync || periodSeconds <= 0 || mailboxes == 0) {
            return mailboxes;
        }
        long refreshSeconds = Math.max(1, refreshMinutes) * 60L;
        if (periodSeconds >= refreshSeconds) {
            return mailboxes;
        }
        return (int) Math.min(mailboxes, Math.max(1, (long) Math.ceil(mailboxes * (double) periodSeconds / refreshSeconds)));
    }

    /** The {@code budget} mailboxes read longest ago ({@code lastRead}: mailbox -> epoch millis; absent: never), in that order. */
    public static List<String> due(List<String> mailboxes, Map<String, Long> lastRead, int budget) {
        return mailboxes.stream()
                .sorted(Comparator.comparingLong((String m) -> lastRead.getOrDefault(m, 0L)).thenComparing(Comparator.naturalOrder()))
                .limit(Math.max(0, budget))
                .toList();
    }
}
