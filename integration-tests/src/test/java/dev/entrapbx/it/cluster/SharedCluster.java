package dev.entrapbx.it.cluster;

import dev.entrapbx.harness.Database;
import dev.entrapbx.harness.KeycloakCluster;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension giving the cluster IT classes one {@link KeycloakCluster} of two nodes on
 * PostgreSQL (started by the first class, closed after the last). The nodes serve HTTPS with a
 * certificate of the simulator's local CA, which this JVM then trusts by default.
 */
public final class SharedCluster implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedCluster.class);

    private record Holder(KeycloakCluster cluster) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            cluster.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    static KeycloakCluster cluster(ExtensionContext context) {
        return context.getRoot().getStore(NS).getOrComputeIfAbsent("cluster", k -> {
            Database db = Database.postgres(System.getProperty("entrapbx.db.url"), System.getProperty("entrapbx.db.user"),
                    System.getProperty("entrapbx.db.password"));
            KeycloakCluster cluster = KeycloakCluster.start(KeycloakCluster.config()
                    .database(db)
                    // the credential expiry check every 10 s instead of daily, so a test sees how often it runs
                    .keycloakOption("--spi-identity_provider--entra-id--credential-check-interval=10")
                    .keycloakOption("--spi-storage--entra-users--graph-retry-base-millis=20")
                    .keycloakOption("--spi-storage--entra-users--graph-retry-max-millis=300")
                    // webhooks to the tests' receiver on 127.0.0.1
                    .keycloakOption("--spi-pbx-webhooks--default--allow-private-targets=true"));
            // the admin client and the realm helpers use the JVM's default TLS context: trust the nodes' CA
            SSLContext.setDefault(cluster.simulator().sslContext());
            System.out.printf("[entra-pbx cluster IT] %d nodes behind %s on %s%n", cluster.size(), cluster.publicUrl(), db);
            return new Holder(cluster);
        }, Holder.class).cluster();
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == KeycloakCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return cluster(e);
    }
}
