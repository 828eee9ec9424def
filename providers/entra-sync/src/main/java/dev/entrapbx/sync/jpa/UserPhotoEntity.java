package dev.entrapbx.sync.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A synced user's Entra profile photo: the bytes as Graph served them, their content type and
 * Graph's media ETag (the next sync downloads again only when that changes). One row per Keycloak
 * user. The bytes are a plain {@code byte[]} (no {@code @Lob}), which Hibernate binds as
 * VARBINARY: {@code bytea} on PostgreSQL, a BLOB elsewhere (the changelog picks the column type).
 */
@Entity
@Table(name = "ENTRAPBX_USER_PHOTO")
@NamedQueries({
        @NamedQuery(name = "EntraPbxUserPhoto.etags",
                query = "select p.userId, p.etag from UserPhotoEntity p where p.userId in :users"),
        @NamedQuery(name = "EntraPbxUserPhoto.deleteByUsers", query = "delete from UserPhotoEntity p where p.userId in :users"),
        @NamedQuery(name = "EntraPbxUserPhoto.deleteByComponent",
                query = "delete from UserPhotoEntity p where p.componentId = :component"),
        @NamedQuery(name = "EntraPbxUserPhoto.deleteByRealm", query = "delete from UserPhotoEntity p where p.realmId = :realm"),
})
public class UserPhotoEntity {

    /** Largest photo kept (Graph's largest size, 648x648, is far below this). */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    @Id
    @Column(name = "USER_ID", length = 36)
    private String userId;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "COMPONENT_ID", length = 36, nullable = false)
    private String componentId;

    @Column(name = "ETAG", length = 255, nullable = false)
    private String etag;

    @Column(name = "CONTENT_TYPE", length = 100, nullable = false)
    private String contentType;

    @Column(name = "PHOTO", length = MAX_BYTES, nullable = false)
    private byte[] photo;

    @Column(name = "UPDATED_AT", nullable = false)
    private long updatedAt;

    public String getUserId() {
        return userId;
    }

    public void setUserId(String userId) {
        this.userId = userId;
    }

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public String getComponentId() {
        return componentId;
    }

    public void setComponentId(String componentId) {
        this.componentId = componentId;
    }

    public String getEtag() {
        return etag;
    }

    public void setEtag(String etag) {
        this.etag = etag;
    }

    public String getContentType() {
        return contentType;
    }

    public void setContentType(String contentType) {
        this.contentType = contentType;
    }

    public byte[] getPhoto() {
        return photo;
    }

    public void setPhoto(byte[] photo) {
        this.photo = photo;
    }

    public long getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(long updatedAt) {
        this.updatedAt = updatedAt;
    }
}
