package dev.entrapbx.sync;

import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hibernate.Session;
import org.hibernate.StatelessSession;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.RoleModel.RoleGrantedEvent;
import org.keycloak.models.UserModel;
import org.keycloak.models.jpa.UserAdapter;
import org.keycloak.models.jpa.entities.FederatedIdentityEntity;
import org.keycloak.models.jpa.entities.UserAttributeEntity;
import org.keycloak.models.jpa.entities.UserEntity;
import org.keycloak.models.jpa.entities.UserGroupMembershipEntity;
import org.keycloak.models.jpa.entities.UserRoleMappingEntity;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.representations.idm.MembershipType;

/**
 * The users a slice creates, with everything that comes with them (attributes, default role,
 * organization membership, IdP link), written at the end of the slice in one go through a
 * Hibernate {@link StatelessSession} on the transaction's own connection: the same rows, through
 * the same entity mappings, as persisting them, but without the persistence context (no dirty
 * check, no action-queue sorting, no cascades), which measured as most of the sync thread's time.
 * Nothing in the transaction reads these users back before the insert; Keycloak's user cache never
 * held them.
 *
 * <p>Only where a new user is exactly "a row per table": in a realm with default groups or
 * default required actions the same rows are persisted at once instead, and Keycloak's own adapter
 * adds the groups and actions ({@link #batchable}).
 */
final class NewUsers {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final EntityManager em;
    private final RoleModel defaultRole;
    /** Rows collected for {@link #insert}; false: persisted at once through the entity manager. */
    private final boolean batched;
    private final List<UserEntity> users = new ArrayList<>();
    private final List<UserAttributeEntity> attributes = new ArrayList<>();
    private final List<UserRoleMappingEntity> roles = new ArrayList<>();
    private final List<FederatedIdentityEntity> links = new ArrayList<>();
    private final List<UserGroupMembershipEntity> memberships = new ArrayList<>();

    NewUsers(KeycloakSession session, RealmModel realm, EntityManager em) {
        this.session = session;
        this.realm = realm;
        this.em = em;
        this.defaultRole = realm.getDefaultRole();
        this.batched = batchable(realm);
    }

    /** False when the realm gives new users default groups or required actions (then Keycloak's adapter does it). */
    static boolean batchable(RealmModel realm) {
        return realm.getDefaultGroupsStream().findAny().isEmpty()
                && realm.getRequiredActionProvidersStream()
                        .noneMatch(a -> a.isEnabled() && a.isDefaultAction());
    }

    /**
     * A new user, complete (default role granted, as {@code JpaUserProvider.addUser} grants it and
     * with its event; default groups and required actions where the realm has them). When batched,
     * the adapter is for reading only until {@link #insert}.
     */
    UserModel add(String id, String username, String federationLink, long createdAt, String email, boolean emailVerified,
                  String firstName, String lastName, boolean enabled) {
        UserEntity e = userRow(realm, id, username, federationLink, createdAt, email, emailVerified, firstName, lastName, enabled);
        write(users, e);
        UserAdapter user = new UserAdapter(session, realm, em, e);
        if (defaultRole != null) {
            write(roles, roleRow(e, defaultRole));
            RoleGrantedEvent.fire(defaultRole, user, session);
        }
        if (!batched) {
            realm.getDefaultGroupsStream().forEach(user::joinGroup); // joinGroup checks membership first
            realm.getRequiredActionProvidersStream()
                    .filter(RequiredActionProviderModel::isEnabled)
                    .filter(RequiredActionProviderModel::isDefaultAction)
                    .map(RequiredActionProviderModel::getAlias)
                    .forEach(user::addRequiredAction);
        }
        return user;
    }

    /**
     * The attributes of a new user, inserted as they are: Keycloak's {@code setAttribute} first
     * deletes any row of that name (one DELETE per attribute), which a new user does not have.
     */
    void attributes(UserModel user, Map<String, List<String>> values) {
        UserEntity e = entity(user);
        for (UserAttributeEntity row : attributeRows(e, values)) {
            write(attributes, row);
            if (!batched) {
                e.getAttributes().add(row);
            }
        }
    }

    /**
     * Links the new user to the identity provider, as {@code JpaUserProvider.addFederatedIdentity}
     * does but without its flush after every link (a dirty check of the whole slice per user).
     */
    void link(UserModel user, String alias, String oid, String username) {
        write(links, linkRow(realm.getId(), entity(user), alias, oid, username));
    }

    /**
     * Makes the new user an (unmanaged) member of the organization: the row
     * {@code OrganizationProvider.addMember} writes, without its per-user lookups.
     */
    void joinOrganization(UserModel user, String organizationGroupId) {
        write(memberships, membershipRow(entity(user), organizationGroupId));
    }

    private <T> void write(List<T> rows, T row) {
        if (batched) {
            rows.add(row);
        } else {
            em.persist(row);
        }
    }

    // ------------------------------------------------------------------ the rows, as Keycloak's JPA provider makes them

    /** A new user's row, every column set (as {@code JpaUserProvider.addUser} plus the setters would leave it). */
    private static UserEntity userRow(RealmModel realm, String id, String username, String federationLink, long createdAt, String email,
                              boolean emailVerified, String firstName, String lastName, boolean enabled) {
        UserEntity e = new UserEntity();
        e.setId(id);
        e.setRealmId(realm.getId());
        e.setUsername(username.toLowerCase(Locale.ROOT));
        e.setCreatedTimestamp(createdAt);
        e.setLastModifiedTimestamp(createdAt);
        e.setFederationLink(federationLink);
        e.setEmail(email, realm.isDuplicateEmailsAllowed());
        e.setEmailVerified(emailVerified);
        e.setFirstName(firstName);
        e.setLastName(lastName);
        e.setEnabled(enabled);
        return e;
    }

    private static UserRoleMappingEntity roleRow(UserEntity user, RoleModel role) {
        UserRoleMappingEntity grant = new UserRoleMappingEntity();
        grant.setUser(user);
        grant.setRoleId(role.getId());
        return grant;
    }

    /** One row per value; long values go to LONG_VALUE with their hashes, as the entity's setter does it. */
    private static List<UserAttributeEntity> attributeRows(UserEntity user, Map<String, List<String>> values) {
        List<UserAttributeEntity> rows = new ArrayList<>();
        for (Map.Entry<String, List<String>> a : values.entrySet()) {
            for (String value : a.getValue()) {
                UserAttributeEntity row = new UserAttributeEntity();
                row.setId(KeycloakModelUtils.generateId());
                row.setName(a.getKey());
                row.setValue(value);
                row.setUser(user);
                rows.add(row);
            }
        }
        return rows;
    }

    /** The link to the identity provider; brokered user id = Entra object id. */
    private static FederatedIdentityEntity linkRow(String realmId, UserEntity user, String alias, String oid, String username) {
        FederatedIdentityEntity link = new FederatedIdentityEntity();
        link.setRealmId(realmId);
        link.setIdentityProvider(alias);
        link.setUserId(oid);
        link.setUserName(username);
        link.setUser(user);
        return link;
    }

    /** An unmanaged member of the organization (Keycloak keeps organization membership as group membership). */
    private static UserGroupMembershipEntity membershipRow(UserEntity user, String organizationGroupId) {
        UserGroupMembershipEntity m = new UserGroupMembershipEntity();
        m.setUser(user);
        m.setGroupId(organizationGroupId);
        m.setMembershipType(MembershipType.UNMANAGED);
        return m;
    }

    /**
     * Inserts everything collected, users first (the other rows refer to them), in JDBC batches,
     * inside the current transaction; nothing to do when not batched.
     */
    void insert() {
        if (users.isEmpty()) {
            return;
        }
        Session hibernate = em.unwrap(Session.class);
        hibernate.doWork(connection -> {
            try (StatelessSession stateless = hibernate.getSessionFactory().withStatelessOptions().connection(connection)
                    .openStatelessSession()) {
                stateless.setJdbcBatchSize(SliceWriter.TX_SIZE);
                stateless.insertMultiple(users);
                stateless.insertMultiple(attributes);
                stateless.insertMultiple(roles);
                stateless.insertMultiple(links);
                stateless.insertMultiple(memberships);
            }
        });
    }

    private static UserEntity entity(UserModel user) {
        if (user instanceof UserAdapter a) {
            return a.getEntity();
        }
        throw new IllegalArgumentException("not a user of this batch: " + user.getId());
    }
}
