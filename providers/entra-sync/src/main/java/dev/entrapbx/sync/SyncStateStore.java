package dev.entrapbx.sync;

import dev.entrapbx.sync.jpa.SyncStateEntity;
import java.time.Clock;

/**
 * The component's stored sync state: the delta link the next changed sync continues from, and the
 * accidental-delete guard's message and confirmation, and the groups delta link of the Entra groups mirror. Each read and write is its own transaction;
 * the delta link is written only by {@link #advance}, which the run calls after everything the
 * link covers is committed.
 */
final class SyncStateStore {

    /** What a run needs of the stored state. */
    record State(String deltaLink, boolean guardConfirmed, String groupsDeltaLink) {
    }

    private final RealmJobs jobs;
    private final String componentId;
    private final Clock clock;

    SyncStateStore(RealmJobs jobs, String componentId, Clock clock) {
        this.jobs = jobs;
        this.componentId = componentId;
        this.clock = clock;
    }

    State load() {
        return jobs.get(s -> {
            SyncStateEntity st = RealmJobs.em(s).find(SyncStateEntity.class, componentId);
            return st == null ? new State(null, false, null) : new State(st.getDeltaLink(), st.isGuardConfirmed(), st.getGroupsDeltaLink());
        });
    }

    /** The guard stopped the run: its message is kept, the delta link and an admin's confirmation stay as they are. */
    void guardTripped(String message) {
        save(null, message, false);
    }

    /** The run is done: the new delta link is stored, the guard message cleared and a confirmation used up. */
    void advance(String deltaLink) {
        save(deltaLink, null, true);
    }

    /**
     * The Entra groups mirror is done: its groups delta link is stored, after everything it covers was
     * committed; null forgets it (mirror off: turned on again, it starts with a full read).
     */
    void advanceGroups(String groupsDeltaLink) {
        jobs.run(s -> SyncStateEntity.findOrCreate(RealmJobs.em(s), componentId, jobs.realmId()).setGroupsDeltaLink(groupsDeltaLink));
    }

    private void save(String deltaLink, String guardMessage, boolean consumeConfirmation) {
        jobs.run(s -> {
            SyncStateEntity st = SyncStateEntity.findOrCreate(RealmJobs.em(s), componentId, jobs.realmId());
            if (deltaLink != null) {
                st.setDeltaLink(deltaLink);
                st.setDeltaSavedAt(clock.millis());
            }
            st.setGuardMessage(guardMessage);
            if (consumeConfirmation) {
                st.setGuardConfirmed(false);
            }
        });
    }
}
