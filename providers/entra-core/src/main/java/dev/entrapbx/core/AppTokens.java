package dev.entrapbx.core;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalServiceException;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * App-only (client credentials) access tokens for Microsoft Graph, through MSAL4J: one
 * confidential-client application per authority, client and credential. Works with a client
 * secret or a certificate, in every cloud, and against the simulator (authority override; instance
 * discovery off there).
 *
 * <p>Tokens are kept here per authority, client and credential until five minutes before they
 * expire (half their remaining life for short-lived ones). MSAL's own cache did not serve repeated
 * client-credential calls for an overridden authority host (measured: five calls, five token
 * requests), and a sync makes one Graph call per user for photos: without this, every call would
 * cost a token request, which Entra throttles.
 *
 * <p>Both the applications and the tokens are kept in {@link BoundedCache}s of at most
 * {@value #MAX_CACHED} entries each: with "Allow any tenant" every tenant that signs in adds a key
 * (its authority), also when Entra refuses the token, and unbounded maps would grow for the life of
 * the server. An evicted application is simply built again; an evicted token is requested again.
 *
 * <p><b>One per server</b> ({@link #shared()}): the broker (verified domains), the user sync and
 * the capabilities to come use the same instance, so one app registration has one MSAL application
 * and one cached token, whoever asks. It is held in a static field, created on first use, rather
 * than by a Keycloak provider factory of its own: it has no settings, nothing to close (MSAL's
 * threads are daemons and end when idle, see {@code executor}) and no Keycloak dependency, and a
 * provider SPI would only add a lookup to every caller. The field belongs to this class's class
 * loader: when Keycloak hot-deploys a new version of our jar, the new classes get a new instance
 * and the old one goes with the old class loader, so nothing leaks between deployments.
 */
public final class AppTokens {

    private static final class Shared {
        static final AppTokens INSTANCE = new AppTokens(); // initialised on first use (holder idiom)
    }

    /** The server-wide instance. */
    public static AppTokens shared() {
        return Shared.INSTANCE;
    }

    /** The credential of an app registration. Exactly one of secret and certificate is set. */
    public static final class Credential {
        private final String clientId;
        private final String secret;
        private final EntraCertificate certificate;

        private Credential(String clientId, String secret, EntraCertificate certificate) {
            this.clientId = Objects.requireNonNull(clientId);
            this.secret = secret;
            this.certificate = certificate;
        }

        public static Credential secret(String clientId, String secret) {
            return new Credential(clientId, Objects.requireNonNull(secret), null);
        }

        public static Credential certificate(String clientId, EntraCertificate certificate) {
            return new Credential(clientId, null, Objects.requireNonNull(certificate));
        }

        public String clientId() {
            return clientId;
        }

        IClientCredential msal() {
            return certificate != null
                    ? ClientCredentialFactory.createFromCertificate(certificate.privateKey(), certificate.certificate())
                    : ClientCredentialFactory.createFromSecret(secret);
        }

        /** Identifies the credential in cache keys without holding the secret itself. */
        String fingerprint() {
            if (certificate != null) {
                return "cert:" + certificate.thumbprintSha256();
            }
            try {
                return "secret:" + HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return "Credential[" + clientId + ", " + (certificate != null ? "certificate" : "secret") + "]"; // never the secret
        }
    }

    /** Per request to Entra: connect and read timeouts of MSAL's HTTP client, and our overall wait. */
    static final int HTTP_TIMEOUT_MILLIS = 5_000;
    static final long WAIT_SECONDS = 15;

    /** Most applications and most tokens kept (each); far above the tenants a server serves, low enough to stay small. */
    public static final int MAX_CACHED = 1_000;
    /** An application is built again at most this long after it was built (and earlier when evicted). */
    static final Duration APP_LIFETIME = Duration.ofHours(24);

    private final Clock clock = Clock.systemUTC();
    private final BoundedCache<String, ConfidentialClientApplication> apps = new BoundedCache<>(MAX_CACHED, clock);
    /** Tokens by authority, client and credential, each kept until it is due for renewal. */
    private final BoundedCache<String, String> tokens = new BoundedCache<>(MAX_CACHED, clock);

    static final long RENEW_BEFORE_MILLIS = TimeUnit.MINUTES.toMillis(5);
    /**
     * MSAL's own threads: bounded and daemon, so a hung Entra connection never occupies the JVM's
     * common pool (one thread on a 2-core machine) nor keeps the server from stopping.
     */
    private final ExecutorService executor = new ThreadPoolExecutor(0, 4, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(64),
            r -> {
                Thread t = new Thread(r, "entra-pbx-msal");
                t.setDaemon(true);
                return t;
            });

    /**
     * A Graph token for {@code tenantId} (a GUID or verified domain; never "organizations").
     *
     * @throws EntraException with Entra's AADSTS message when the token is refused or Entra cannot be reached
     */
    public String graphToken(EntraEndpoints endpoints, String tenantId, Credential credential) {
        String authority = endpoints.authorityFor(tenantId);
        String key = authority + "|" + credential.clientId() + "|" + credential.fingerprint();
        Optional<String> cached = tokens.get(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        Instant now = clock.instant();
        IAuthenticationResult result = acquire(endpoints, tenantId, credential, authority, key);
        long left = result.expiresOnDate() == null ? 0 : result.expiresOnDate().getTime() - now.toEpochMilli();
        tokens.put(key, result.accessToken(), Duration.ofMillis(left > 2 * RENEW_BEFORE_MILLIS ? left - RENEW_BEFORE_MILLIS : left / 2));
        return result.accessToken();
    }

    private IAuthenticationResult acquire(EntraEndpoints endpoints, String tenantId, Credential credential, String authority, String key) {
        ConfidentialClientApplication app = apps.get(key).orElseGet(() -> {
            ConfidentialClientApplication built = build(endpoints, authority, credential);
            apps.put(key, built, APP_LIFETIME);
            return built;
        });
        CompletableFuture<IAuthenticationResult> pending;
        try {
            pending = app.acquireToken(ClientCredentialParameters.builder(Set.of(endpoints.graphDefaultScope())).build());
        } catch (RejectedExecutionException e) {
            throw new EntraException("Too many token requests to Entra are waiting; try again shortly", 0, null, e);
        }
        try {
            return pending.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MsalServiceException m) {
                throw new EntraException("Entra refused an app token for client " + credential.clientId() + " in tenant "
                        + tenantId + ": " + firstLine(m.getMessage()), m.statusCode(), m.errorCode(), m);
            }
            throw new EntraException("Could not reach Entra at " + authority + ": " + e.getCause(), 0, null, e.getCause());
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new EntraException("Entra did not answer within " + WAIT_SECONDS + " s at " + authority, 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EntraException("Interrupted while acquiring a token", 0, null, e);
        }
    }

    private ConfidentialClientApplication build(EntraEndpoints endpoints, String authority, Credential credential) {
        try {
            ConfidentialClientApplication.Builder b = ConfidentialClientApplication.builder(credential.clientId(), credential.msal())
                    .authority(authority)
                    .connectTimeoutForDefaultHttpClient(HTTP_TIMEOUT_MILLIS)
                    .readTimeoutForDefaultHttpClient(HTTP_TIMEOUT_MILLIS)
                    .executorService(executor);
            if (endpoints.isOverridden()) {
                b.instanceDiscovery(false); // the simulator is not a known Microsoft host
            }
            return b.build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("Bad authority " + authority, e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
