package dev.entrapbx.kc;

import java.util.List;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;

/**
 * A module's own tables in Keycloak's database: its Liquibase changelog (run by Keycloak at start,
 * like its own) and the JPA entities mapped on them, if any. The factory states its id, changelog
 * and entities; Keycloak's per-session provider is one shared stateless object.
 */
public interface OwnTables extends JpaEntityProviderFactory, StatelessProviderFactory<JpaEntityProvider> {

    /** Classpath location of the Liquibase changelog, e.g. {@code META-INF/entra-pbx-sync-changelog.xml}. */
    String changelog();

    /** The JPA entities on those tables (empty when the module uses plain JDBC). */
    List<Class<?>> entities();

    @Override
    default JpaEntityProvider create(KeycloakSession session) {
        OwnTables factory = this;
        return new JpaEntityProvider() {
            @Override
            public List<Class<?>> getEntities() {
                return factory.entities();
            }

            @Override
            public String getChangelogLocation() {
                return factory.changelog();
            }

            @Override
            public String getFactoryId() {
                return factory.getId();
            }

            @Override
            public void close() {
            }
        };
    }
}
