package dev.entrapbx.sync.jpa;

import dev.entrapbx.core.StatelessProviderFactory;
import java.util.List;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;

/** Our tables (extensions, sync state, run log) in Keycloak's database, created by our Liquibase changelog. */
public class EntraSyncJpaEntityProviderFactory implements JpaEntityProviderFactory, StatelessProviderFactory<JpaEntityProvider> {

    public static final String ID = "entra-pbx-sync";

    private static final JpaEntityProvider PROVIDER = new JpaEntityProvider() {
        @Override
        public List<Class<?>> getEntities() {
            return List.of(ExtensionEntity.class, SyncStateEntity.class, SyncRunEntity.class, SyncRunErrorEntity.class);
        }

        @Override
        public String getChangelogLocation() {
            return "META-INF/entra-pbx-sync-changelog.xml";
        }

        @Override
        public String getFactoryId() {
            return ID;
        }

        @Override
        public void close() {
        }
    };

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return PROVIDER;
    }

    @Override
    public String getId() {
        return ID;
    }

}
