package dev.entrapbx.sync.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.entrapbx.sync.jpa.SyncRunEntity;
import java.time.Instant;

/**
 * One run of the run log ({@code GET .../entra-sync/{componentId}/runs}): counts and status, no
 * user names. Times are ISO-8601; a null field is left out (as Keycloak's JSON does for every
 * answer): {@code endedAt} and {@code durationMillis} while the run is running, {@code message}
 * when the run has no note. While a run is RUNNING its counts grow (they are stored after every
 * slice of users written): {@code phase} says what it is doing (connecting, users, photos,
 * removals, groups, contacts; for an ended run, the phase it ended in), {@code pagesRead} the pages
 * of users read from Graph, {@code written} the users added, adopted or updated so far.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRepresentation(String id, String trigger, String mode, String status, String phase, String startedAt, String endedAt,
                                Long durationMillis, int pagesRead, int written, int added, int adopted, int updated, int disabled,
                                int deleted, int failed, int skipped, int graphRetries, String message) {

    public static RunRepresentation of(SyncRunEntity r) {
        Long ended = r.getEndedAt();
        return new RunRepresentation(r.getId(), r.getTrigger(), r.getMode(), r.getStatus(), r.getPhase(),
                Instant.ofEpochMilli(r.getStartedAt()).toString(), ended == null ? null : Instant.ofEpochMilli(ended).toString(),
                ended == null ? null : ended - r.getStartedAt(), r.getPages(), r.getAdded() + r.getAdopted() + r.getUpdated(), r.getAdded(), r.getAdopted(), r.getUpdated(), r.getDisabled(), r.getDeleted(), r.getFailed(), r.getSkipped(),
                r.getRetries(), r.getMessage());
    }
}
