package dev.entrapbx.simulator.directory;

/** Read access to a tenant's change log (callers hold the tenant's read lock, see {@link TenantReader}). */
public interface ChangeHistory {
    /** Sequence number of the newest event (0 when empty). */
    long head();

    /** The event with this sequence number, or null when it was trimmed or does not exist. */
    ChangeEvent get(long seq);

    /** Sequence number of the newest event of an object, 0 when none. */
    long lastSeqOf(ChangeEvent.ResourceKind resource, String objectId);

    /** Oldest sequence number still kept. */
    long firstSeq();
}
