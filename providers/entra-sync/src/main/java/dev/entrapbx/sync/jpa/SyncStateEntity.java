package dev.entrapbx.sync.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** Per sync component: the Graph delta link of the last committed round, and the guard's state. */
@Entity
@Table(name = "ENTRAPBX_SYNC_STATE")
@NamedQueries({
        @NamedQuery(name = "EntraPbxSyncState.deleteByRealm", query = "delete from SyncStateEntity s where s.realmId = :realm"),
        @NamedQuery(name = "EntraPbxSyncState.claimRun", query = "update SyncStateEntity s set s.runId = :run, s.runLeaseUntil = :until"
                + " where s.componentId = :component and (s.runId is null or s.runLeaseUntil < :now)"),
        @NamedQuery(name = "EntraPbxSyncState.renewRun", query = "update SyncStateEntity s set s.runLeaseUntil = :until"
                + " where s.componentId = :component and s.runId = :run"),
        @NamedQuery(name = "EntraPbxSyncState.claimPeriodicFull", query = "update SyncStateEntity s set s.periodicFullAt = :now"
                + " where s.componentId = :component and (s.periodicFullAt is null or s.periodicFullAt < :before)"),
        @NamedQuery(name = "EntraPbxSyncState.claimPeriodicChanged", query = "update SyncStateEntity s set s.periodicChangedAt = :now"
                + " where s.componentId = :component and (s.periodicChangedAt is null or s.periodicChangedAt < :before)"),
        @NamedQuery(name = "EntraPbxSyncState.releasePeriodicFull", query = "update SyncStateEntity s set s.periodicFullAt = :earlier"
                + " where s.componentId = :component and s.periodicFullAt = :claimed"),
        @NamedQuery(name = "EntraPbxSyncState.releasePeriodicChanged", query = "update SyncStateEntity s set s.periodicChangedAt = :earlier"
                + " where s.componentId = :component and s.periodicChangedAt = :claimed"),
        @NamedQuery(name = "EntraPbxSyncState.releaseRun", query = "update SyncStateEntity s set s.runId = null, s.runLeaseUntil = null"
                + " where s.componentId = :component and s.runId = :run"),
})
public class SyncStateEntity {

    @Id
    @Column(name = "COMPONENT_ID", length = 36)
    private String componentId;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "DELTA_LINK", length = 4000)
    private String deltaLink;

    /** The groups delta link of the Entra groups mirror (null: the next run reads every group). */
    @Column(name = "GROUPS_DELTA_LINK", length = 4000)
    private String groupsDeltaLink;

    @Column(name = "DELTA_SAVED_AT")
    private Long deltaSavedAt;

    /** An admin confirmed the deletions the guard held back: the next run performs them, once. */
    @Column(name = "GUARD_CONFIRMED", nullable = false)
    private boolean guardConfirmed;

    @Column(name = "GUARD_MESSAGE", length = 1000)
    private String guardMessage;

    /** Runs in a row that ended FAILED (0 after any run that got through; an interrupted run leaves it as it is). */
    @Column(name = "FAILED_IN_A_ROW", nullable = false)
    private int failedInARow;

    /**
     * The run that holds the component (at most one in a cluster), and until when its lease lasts
     * (renewed while its node is alive). Written only by the claim, renew and release queries, never
     * by an entity update, so a stale copy of the row cannot undo a claim.
     */
    @Column(name = "RUN_ID", length = 36, insertable = false, updatable = false)
    private String runId;

    @Column(name = "RUN_LEASE_UNTIL", insertable = false, updatable = false)
    private Long runLeaseUntil;

    /** When a node last started the scheduled full / changed run of this period (see {@code SyncScheduler}); claim queries only. */
    @Column(name = "PERIODIC_FULL_AT", insertable = false, updatable = false)
    private Long periodicFullAt;

    @Column(name = "PERIODIC_CHANGED_AT", insertable = false, updatable = false)
    private Long periodicChangedAt;

    public Long getPeriodicFullAt() { return periodicFullAt; }
    public Long getPeriodicChangedAt() { return periodicChangedAt; }

    /** The component's state row in the database (created and flushed when missing), for the claim queries that update it. */
    public static void ensureRow(jakarta.persistence.EntityManager em, String componentId, String realmId) {
        findOrCreate(em, componentId, realmId);
        em.flush();
    }

    /** The component's state row, created (managed, not yet flushed) when missing. */
    public static SyncStateEntity findOrCreate(jakarta.persistence.EntityManager em, String componentId, String realmId) {
        SyncStateEntity st = em.find(SyncStateEntity.class, componentId);
        if (st == null) {
            st = new SyncStateEntity();
            st.setComponentId(componentId);
            st.setRealmId(realmId);
            em.persist(st);
        }
        return st;
    }

    public String getComponentId() { return componentId; }
    public void setComponentId(String componentId) { this.componentId = componentId; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String realmId) { this.realmId = realmId; }
    public String getDeltaLink() { return deltaLink; }
    public void setDeltaLink(String deltaLink) { this.deltaLink = deltaLink; }
    public String getGroupsDeltaLink() { return groupsDeltaLink; }
    public void setGroupsDeltaLink(String groupsDeltaLink) { this.groupsDeltaLink = groupsDeltaLink; }
    public Long getDeltaSavedAt() { return deltaSavedAt; }
    public void setDeltaSavedAt(Long deltaSavedAt) { this.deltaSavedAt = deltaSavedAt; }
    public boolean isGuardConfirmed() { return guardConfirmed; }
    public void setGuardConfirmed(boolean guardConfirmed) { this.guardConfirmed = guardConfirmed; }
    public String getGuardMessage() { return guardMessage; }
    public void setGuardMessage(String guardMessage) { this.guardMessage = guardMessage; }

    public int getFailedInARow() { return failedInARow; }
    public void setFailedInARow(int failedInARow) { this.failedInARow = failedInARow; }
}
