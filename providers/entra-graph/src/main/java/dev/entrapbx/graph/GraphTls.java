package dev.entrapbx.graph;

import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.keycloak.models.KeycloakSession;
import org.keycloak.truststore.TruststoreProvider;

/**
 * The trust material a Graph client checks Graph's certificate with: Keycloak's trust store
 * ({@code --truststore-paths}), or the JVM's default when Keycloak has none. TLS is never disabled.
 */
public record GraphTls(SSLSocketFactory socketFactory, X509TrustManager trustManager) {

    /** The JVM's default trust store. */
    public static final GraphTls JVM_DEFAULT = new GraphTls(null, null);

    /**
     * Keycloak's trust store, else {@link #JVM_DEFAULT}.
     *
     * @throws IllegalStateException when Keycloak's trust store cannot be used
     */
    public static GraphTls of(KeycloakSession session) {
        TruststoreProvider truststore = session.getProvider(TruststoreProvider.class);
        if (truststore == null || truststore.getTruststore() == null) {
            return JVM_DEFAULT;
        }
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) truststore.getTruststore());
            X509TrustManager tm = null;
            for (TrustManager t : tmf.getTrustManagers()) {
                if (t instanceof X509TrustManager x) {
                    tm = x;
                }
            }
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {tm}, null);
            return new GraphTls(tls.getSocketFactory(), tm);
        } catch (Exception e) {
            throw new IllegalStateException("Keycloak's trust store cannot be used for Graph: " + e.getMessage(), e);
        }
    }

    boolean custom() {
        return socketFactory != null && trustManager != null;
    }
}
