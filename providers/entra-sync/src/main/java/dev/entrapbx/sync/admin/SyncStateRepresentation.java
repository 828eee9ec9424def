package dev.entrapbx.sync.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.entrapbx.sync.jpa.SyncStateEntity;
import java.time.Instant;

/**
 * {@code GET .../entra-sync/{componentId}/state}: whether the next run can be a delta, and the
 * accidental-delete guard, and how many runs in a row failed. A null field is left out ({@code deltaSavedAt}, {@code guardMessage}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SyncStateRepresentation(boolean deltaLinkStored, String deltaSavedAt, String guardMessage, boolean guardConfirmed,
                                      int failedInARow) {

    /** The state; null: the sync has never stored any. */
    public static SyncStateRepresentation of(SyncStateEntity st) {
        if (st == null) {
            return new SyncStateRepresentation(false, null, null, false, 0);
        }
        return new SyncStateRepresentation(st.getDeltaLink() != null,
                st.getDeltaSavedAt() == null ? null : Instant.ofEpochMilli(st.getDeltaSavedAt()).toString(), st.getGuardMessage(),
                st.isGuardConfirmed(), st.getFailedInARow());
    }
}
