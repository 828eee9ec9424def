package dev.entrapbx.sync.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A PBX extension number held within one Organization (phone system). The database refuses a
 * second row with the same number, or a second number for the same Entra user, in one
 * organization (unique constraints in the changelog): allocation never relies on read-then-write.
 * A released number stays QUARANTINED (still holding the number) until its quarantine ends.
 */
@Entity
@Table(name = "ENTRAPBX_EXTENSION")
@NamedQueries({
        @NamedQuery(name = "EntraPbxExtension.byOids",
                query = "select e from ExtensionEntity e where e.organizationId = :org and e.entraOid in :oids"),
        @NamedQuery(name = "EntraPbxExtension.byNumbers",
                query = "select e.extension from ExtensionEntity e where e.organizationId = :org and e.extension in :numbers"),
        @NamedQuery(name = "EntraPbxExtension.usedInRange",
                query = "select e.numericValue from ExtensionEntity e where e.organizationId = :org"
                        + " and e.numericValue >= :from and e.numericValue <= :to order by e.numericValue"),
        @NamedQuery(name = "EntraPbxExtension.purgeQuarantine",
                query = "delete from ExtensionEntity e where e.organizationId = :org and e.status = 'QUARANTINED'"
                        + " and e.releasedAt < :before"),
        @NamedQuery(name = "EntraPbxExtension.deleteByRealm",
                query = "delete from ExtensionEntity e where e.realmId = :realm"),
})
public class ExtensionEntity {

    public static final String ACTIVE = "ACTIVE";
    public static final String QUARANTINED = "QUARANTINED";

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "ORG_ID", length = 36, nullable = false)
    private String organizationId;

    @Column(name = "EXTENSION", length = 20, nullable = false)
    private String extension;

    /** The number's value, for range scans ("0042" and "42" both 42). */
    @Column(name = "NUMERIC_VALUE", nullable = false)
    private long numericValue;

    @Column(name = "ENTRA_TENANT", length = 36, nullable = false)
    private String entraTenant;

    @Column(name = "ENTRA_OID", length = 36, nullable = false)
    private String entraOid;

    @Column(name = "USER_ID", length = 36)
    private String userId;

    @Column(name = "STATUS", length = 16, nullable = false)
    private String status;

    @Column(name = "ASSIGNED_AT", nullable = false)
    private long assignedAt;

    @Column(name = "RELEASED_AT")
    private Long releasedAt;

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getRealmId() { return realmId; }
    public void setRealmId(String realmId) { this.realmId = realmId; }
    public String getOrganizationId() { return organizationId; }
    public void setOrganizationId(String organizationId) { this.organizationId = organizationId; }
    public String getExtension() { return extension; }
    public void setExtension(String extension) { this.extension = extension; }
    public long getNumericValue() { return numericValue; }
    public void setNumericValue(long numericValue) { this.numericValue = numericValue; }
    public String getEntraTenant() { return entraTenant; }
    public void setEntraTenant(String entraTenant) { this.entraTenant = entraTenant; }
    public String getEntraOid() { return entraOid; }
    public void setEntraOid(String entraOid) { this.entraOid = entraOid; }
    public String getUserId() { return userId; }
    public void setUserId(String userId) { this.userId = userId; }
    public String getStatus() { return status; }
    public void setStatus(String status) { this.status = status; }
    public long getAssignedAt() { return assignedAt; }
    public void setAssignedAt(long assignedAt) { this.assignedAt = assignedAt; }
    public Long getReleasedAt() { return releasedAt; }
    public void setReleasedAt(Long releasedAt) { this.releasedAt = releasedAt; }
}
