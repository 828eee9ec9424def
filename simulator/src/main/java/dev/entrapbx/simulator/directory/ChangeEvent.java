package dev.entrapbx.simulator.directory;

import dev.entrapbx.simulator.model.MemberRef;

import java.util.Set;

/**
 * One entry of a tenant's change log.
 *
 * @param seq               monotonic position in the tenant's log (starts at 1)
 * @param changedProperties for UPDATED: the Graph properties whose value changed; empty otherwise
 * @param member            for MEMBER_ADDED / MEMBER_REMOVED: the member
 * @param previousSeq       the previous event of the same object, 0 when none (or trimmed)
 */
public record ChangeEvent(long seq, ResourceKind resource, String objectId, ChangeType type,
                          Set<String> changedProperties, MemberRef member, long previousSeq) {

    /** Which collection an event belongs to. */
    public enum ResourceKind { USER, GROUP }

    /** What happened. */
    public enum ChangeType {
        CREATED, UPDATED, RESTORED,
        /** Moved to deleted items (restorable): Graph's {@code @removed.reason = "changed"}. */
        SOFT_DELETED,
        /** Permanently deleted: Graph's {@code @removed.reason = "deleted"}. */
        HARD_DELETED,
        MEMBER_ADDED, MEMBER_REMOVED
    }
}
