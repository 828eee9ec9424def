package dev.entrapbx.directory;

import dev.entrapbx.kc.ContactsTouched;
import dev.entrapbx.kc.Db;
import dev.entrapbx.kc.DirectoryTouched;
import dev.entrapbx.kc.OncePerCluster;
import dev.entrapbx.kc.OwnTables;
import dev.entrapbx.kc.PresenceTouched;
import java.time.Clock;
import java.util.List;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderEvent;

/**
 * The directory's tables (Liquibase changelog) and the Keycloak model events that feed them: any
 * path that adds a member to a phone system, removes one, deletes a user, or changes a mirrored
 * group's name or members reaches {@link FeedWriter} in the transaction that made the change.
 * Profile edits arrive as admin and user events ({@link DirectoryEventListenerFactory}); the sync,
 * which writes in bulk without Keycloak's events, says what it touched ({@link DirectoryTouched}).
 */
public class DirectoryTables implements OwnTables {

    public static final String ID = "entra-pbx-directory";

    @Override
    public String changelog() {
        return "META-INF/entra-pbx-directory-changelog.xml";
    }

    @Override
    public List<Class<?>> entities() {
        return List.of(); // plain JDBC: see FeedStore
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(DirectoryTables::onEvent);
        OncePerCluster.scheduleOnceStarted(factory, new FeedRetention(Clock.systemUTC()),
                Math.min(600_000L, FeedRetention.INTERVAL_MILLIS), FeedRetention.INTERVAL_MILLIS);
    }

    /**
     * The client holding the directory's role ({@value DirectoryAccess#ROLE_CLIENT} / {@value DirectoryAccess#ROLE}), in every
     * new or imported realm: a role holder only (bearer-only, no flows), like Keycloak's own realm-management.
     */
    static void ensureRoleClient(RealmModel realm) {
        ClientModel client = realm.getClientByClientId(DirectoryAccess.ROLE_CLIENT);
        if (client == null) {
            client = realm.addClient(DirectoryAccess.ROLE_CLIENT);
            client.setName("PBX directory");
            client.setDescription("Holds the role that lets a PBX backend's service account read /realms/" + realm.getName() + "/pbx.");
            client.setProtocol("openid-connect");
            client.setBearerOnly(true);
            client.setStandardFlowEnabled(false);
            client.setImplicitFlowEnabled(false);
            client.setDirectAccessGrantsEnabled(false);
            client.setServiceAccountsEnabled(false);
            client.setPublicClient(false);
            client.setFullScopeAllowed(false);
        }
        if (client.getRole(DirectoryAccess.ROLE) == null) {
            client.addRole(DirectoryAccess.ROLE).setDescription("Read the PBX directory: phone systems, extensions, change feed.");
        }
    }

    static void onEvent(ProviderEvent event) {
        if (event instanceof DirectoryTouched e) {
            FeedWriter.of(e.session()).touch(e.realmId(), e.organizationId(), e.userIds());
        } else if (event instanceof ContactsTouched e) {
            FeedWriter.of(e.session()).touchContacts(e.realmId(), e.organizationId(), e.changes());
        } else if (event instanceof PresenceTouched e) {
            FeedWriter.of(e.session()).touchPresence(e.realmId(), e.organizationId(), e.changes());
        } else if (event instanceof OrganizationModel.OrganizationMembershipEvent e) {
            FeedWriter.of(e.getSession()).touchUser(e.getUser().getId()); // joined: found by membership; left: by its entry
        } else if (event instanceof UserModel.UserRemovedEvent e) {
            FeedWriter.of(e.getKeycloakSession()).touchUser(e.getUser().getId());
        } else if (event instanceof GroupModel.GroupMemberJoinEvent e) {
            FeedWriter.of(e.getKeycloakSession()).touchUser(e.getUser().getId());
        } else if (event instanceof GroupModel.GroupMemberLeaveEvent e) {
            FeedWriter.of(e.getKeycloakSession()).touchUser(e.getUser().getId());
        } else if (event instanceof GroupModel.GroupUpdatedEvent e) {
            mirroredGroupChanged(e.getKeycloakSession(), e.getRealm(), e.getGroup());
        } else if (event instanceof GroupModel.GroupRemovedEvent e) {
            mirroredGroupChanged(e.getKeycloakSession(), e.getRealm(), e.getGroup());
        } else if (event instanceof OrganizationModel.OrganizationRemovedEvent e) {
            String orgId = e.getOrganization().getId();
            FeedWriter.of(e.getKeycloakSession()).organizationRemoved(orgId);
            Db.run(e.getKeycloakSession(), "PBX directory", db -> {
                FeedStore.delete(db, "ORG_ID", orgId);
                return null;
            });
        } else if (event instanceof RealmModel.RealmPostCreateEvent e) {
            ensureRoleClient(e.getCreatedRealm());
        } else if (event instanceof RealmModel.RealmRemovedEvent e) {
            Db.run(e.getKeycloakSession(), "PBX directory", db -> {
                FeedStore.delete(db, "REALM_ID", e.getRealm().getId());
                return null;
            });
        }
    }

    /** A group renamed or removed: when it is a mirrored Entra group, its members' entries change. */
    private static void mirroredGroupChanged(KeycloakSession session, RealmModel realm, GroupModel group) {
        if (realm == null || group == null || group.getParentId() == null) {
            return;
        }
        GroupModel parent = group.getParent();
        if (parent == null || parent.getFirstAttribute(EntryReader.MIRROR_PARENT_ATTRIBUTE) == null) {
            return;
        }
        String orgId = parent.getFirstAttribute(EntryReader.MIRROR_PARENT_ATTRIBUTE);
        List<String> members = session.users().getGroupMembersStream(realm, group).map(UserModel::getId).toList();
        FeedWriter.of(session).touch(realm.getId(), orgId, members);
    }
}
