package dev.entrapbx.onboarding;

import dev.entrapbx.kc.Db;
import dev.entrapbx.kc.OncePerCluster;
import dev.entrapbx.kc.OwnTables;
import java.util.List;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderEvent;

/**
 * The invitations table (Liquibase changelog), and its clean-up: a deleted Organization or realm
 * takes its invitations with it. Also schedules {@link OrganizationCacheRelease}.
 */
public class OnboardingTables implements OwnTables {

    public static final String ID = "entra-pbx-onboarding";

    @Override
    public String changelog() {
        return "META-INF/entra-pbx-onboarding-changelog.xml";
    }

    @Override
    public List<Class<?>> entities() {
        return List.of(); // plain JDBC: see InvitationStore
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(OnboardingTables::onEvent);
        OncePerCluster.scheduleOnceStarted(factory, new OrganizationCacheRelease(), OrganizationCacheRelease.INTERVAL_MILLIS,
                OrganizationCacheRelease.INTERVAL_MILLIS);
    }

    static void onEvent(ProviderEvent event) {
        if (event instanceof OrganizationModel.OrganizationRemovedEvent e) {
            Db.run(e.getKeycloakSession(), "Onboarding invitations", db -> {
                InvitationStore.delete(db, "ORG_ID", e.getOrganization().getId());
                return null;
            });
        } else if (event instanceof RealmModel.RealmRemovedEvent e) {
            Db.run(e.getKeycloakSession(), "Onboarding invitations", db -> {
                InvitationStore.delete(db, "REALM_ID", e.getRealm().getId());
                return null;
            });
        }
    }
}
