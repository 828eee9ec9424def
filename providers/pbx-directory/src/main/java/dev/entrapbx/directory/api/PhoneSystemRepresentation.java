package dev.entrapbx.directory.api;

import java.util.List;

/**
 * One phone system (Organization) as {@code GET /pbx/phone-systems} lists it.
 *
 * @param entraTenant  the Entra tenant its sync or identity provider is configured with; null when none
 * @param sync         its Entra user sync and the last run; null when it has none
 * @param members      members now
 * @param extensions   members holding an extension
 * @param changesCursor the feed's current position (follow the feed from here)
 */
public record PhoneSystemRepresentation(String id, String alias, String name, boolean enabled, List<String> domains, String entraTenant,
                                        SyncRepresentation sync, long members, long extensions, String changesCursor) {

    /** The phone system's Entra user sync. */
    public record SyncRepresentation(String componentId, String name, LastRun lastRun) {
    }

    /** A sync run: status RUNNING, SUCCESS, PARTIAL, FAILED (as the run log says), times ISO-8601. */
    public record LastRun(String status, String trigger, String startedAt, String endedAt, int added, int updated, int disabled, int deleted,
                          int failed) {
    }
}
