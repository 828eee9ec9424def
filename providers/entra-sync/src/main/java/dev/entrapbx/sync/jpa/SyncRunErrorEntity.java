package dev.entrapbx.sync.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** A per-user problem of a run: the Entra user, and why it failed (or what needs attention). */
@Entity
@Table(name = "ENTRAPBX_SYNC_ERROR")
@NamedQueries({
        @NamedQuery(name = "EntraPbxSyncError.byRun",
                query = "select e from SyncRunErrorEntity e where e.runId = :run order by e.seq"),
        @NamedQuery(name = "EntraPbxSyncError.countByRun", query = "select count(e) from SyncRunErrorEntity e where e.runId = :run"),
        @NamedQuery(name = "EntraPbxSyncError.deleteByRuns", query = "delete from SyncRunErrorEntity e where e.runId in :runs"),
        @NamedQuery(name = "EntraPbxSyncError.deleteByRealm", query = "delete from SyncRunErrorEntity e where e.realmId = :realm"),
})
public class SyncRunErrorEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "RUN_ID", length = 36, nullable = false)
    private String runId;

    @Column(name = "SEQ", nullable = false)
    private int seq;

    /** error (the user was not written) or warning (written, needs attention) */
    @Column(name = "SEVERITY", length = 16, nullable = false)
    private String severity;

    @Column(name = "ENTRA_OID", length = 36)
    private String entraOid;

    @Column(name = "USERNAME", length = 255)
    private String username;

    @Column(name = "REASON", length = 1000, nullable = false)
    private String reason;

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String realmId) { this.realmId = realmId; }
    public String getRunId() { return runId; }
    public void setRunId(String runId) { this.runId = runId; }
    public int getSeq() { return seq; }
    public void setSeq(int seq) { this.seq = seq; }
    public String getSeverity() { return severity; }
    public void setSeverity(String severity) { this.severity = severity; }
    public String getEntraOid() { return entraOid; }
    public void setEntraOid(String entraOid) { this.entraOid = entraOid; }
    public String getUsername() { return username; }
    public void setUsername(String username) { this.username = username; }
    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }
}
