package dev.entrapbx.sync.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** One sync run of a component: trigger, times, outcome and counts. */
@Entity
@Table(name = "ENTRAPBX_SYNC_RUN")
@NamedQueries({
        @NamedQuery(name = "EntraPbxSyncRun.byComponent",
                query = "select r from SyncRunEntity r where r.componentId = :component order by r.startedAt desc, r.id desc"),
        @NamedQuery(name = "EntraPbxSyncRun.countByComponent",
                query = "select count(r) from SyncRunEntity r where r.componentId = :component"),
        @NamedQuery(name = "EntraPbxSyncRun.running",
                query = "select r from SyncRunEntity r where r.componentId = :component and r.status = 'RUNNING'"),
        @NamedQuery(name = "EntraPbxSyncRun.deleteByRealm", query = "delete from SyncRunEntity r where r.realmId = :realm"),
})
public class SyncRunEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "COMPONENT_ID", length = 36, nullable = false)
    private String componentId;

    /** full | changed */
    @Column(name = "RUN_TRIGGER", length = 16, nullable = false)
    private String trigger;

    /** What ran: full (a new delta round, reconciled) or changed (from the stored delta link). */
    @Column(name = "MODE", length = 16)
    private String mode;

    /** RUNNING, SUCCESS, PARTIAL (some users failed), GUARDED, FAILED, INTERRUPTED */
    @Column(name = "STATUS", length = 16, nullable = false)
    private String status;

    @Column(name = "STARTED_AT", nullable = false)
    private long startedAt;

    @Column(name = "ENDED_AT")
    private Long endedAt;

    @Column(name = "ADDED", nullable = false)
    private int added;
    @Column(name = "ADOPTED", nullable = false)
    private int adopted;
    @Column(name = "UPDATED", nullable = false)
    private int updated;
    @Column(name = "DISABLED", nullable = false)
    private int disabled;
    @Column(name = "DELETED", nullable = false)
    private int deleted;
    @Column(name = "FAILED", nullable = false)
    private int failed;
    @Column(name = "SKIPPED", nullable = false)
    private int skipped;
    /** connecting, users, photos, removals, groups, contacts: what the run was doing at its last checkpoint */
    @Column(name = "PHASE", length = 16)
    private String phase;

    /** Pages of users read from Graph. */
    @Column(name = "PAGES", nullable = false)
    private int pages;

    @Column(name = "RETRIES", nullable = false)
    private int retries;

    @Column(name = "MESSAGE", length = 2000)
    private String message;

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String realmId) { this.realmId = realmId; }
    public String getComponentId() { return componentId; }
    public void setComponentId(String componentId) { this.componentId = componentId; }
    public String getTrigger() { return trigger; }
    public void setTrigger(String trigger) { this.trigger = trigger; }
    public String getMode() { return mode; }
    public void setMode(String mode) { this.mode = mode; }
    public String getStatus() { return status; }
    public void setStatus(String status) { this.status = status; }
    public long getStartedAt() { return startedAt; }
    public void setStartedAt(long startedAt) { this.startedAt = startedAt; }
    public Long getEndedAt() { return endedAt; }
    public void setEndedAt(Long endedAt) { this.endedAt = endedAt; }
    public int getAdded() { return added; }
    public int getAdopted() { return adopted; }
    public void setAdopted(int adopted) { this.adopted = adopted; }
    public void setAdded(int added) { this.added = added; }
    public int getUpdated() { return updated; }
    public void setUpdated(int updated) { this.updated = updated; }
    public int getDisabled() { return disabled; }
    public void setDisabled(int disabled) { this.disabled = disabled; }
    public int getDeleted() { return deleted; }
    public void setDeleted(int deleted) { this.deleted = deleted; }
    public int getFailed() { return failed; }
    public void setFailed(int failed) { this.failed = failed; }
    public int getSkipped() { return skipped; }
    public void setSkipped(int skipped) { this.skipped = skipped; }
    public String getPhase() { return phase; }
    public void setPhase(String phase) { this.phase = phase; }
    public int getPages() { return pages; }
    public void setPages(int pages) { this.pages = pages; }
    public int getRetries() { return retries; }
    public void setRetries(int retries) { this.retries = retries; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
}
