package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.entrapbx.simulator.contacts.ContactsStore;
import dev.entrapbx.simulator.control.ControlApi;
import dev.entrapbx.simulator.control.SeedLoader;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.fault.FaultRegistry;
import dev.entrapbx.simulator.graph.GraphApi;
import dev.entrapbx.simulator.http.AreaResponses;
import dev.entrapbx.simulator.http.Dispatcher;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.http.RequestRecorder;
import dev.entrapbx.simulator.http.Router;
import dev.entrapbx.simulator.http.SimulatorHttpServer;
import dev.entrapbx.simulator.identity.AccessTokenValidator;
import dev.entrapbx.simulator.identity.GraphAudiences;
import dev.entrapbx.simulator.identity.IdentityApi;
import dev.entrapbx.simulator.identity.SigningKeys;
import dev.entrapbx.simulator.identity.TokenIssuer;
import dev.entrapbx.simulator.identity.TokenTampering;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.model.Tenant;
import dev.entrapbx.simulator.notifications.NotificationService;
import dev.entrapbx.simulator.presence.CalendarStore;
import dev.entrapbx.simulator.presence.PresenceGenerator;
import dev.entrapbx.simulator.presence.PresenceStore;
import dev.entrapbx.simulator.tls.TlsMaterial;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * A Microsoft Entra ID (v2.0 endpoints) and Microsoft Graph v1.0 simulator on one HTTPS base URL, which stands for
 * both the login host and the Graph host.
 *
 * <pre>{@code
 * try (EntraSimulator sim = EntraSimulator.builder().port(0).certDir(dir).build().start()) {
 *     sim.loadSeed(Path.of("simulator/seeds/demo.json"));
 *     String authority = sim.baseUrl() + "/" + tenantId;
 * }
 * }</pre>
 */
public final class EntraSimulator implements AutoCloseable {
    private final String baseUrl;
    private final TlsMaterial tls;
    private final SimulatorHttpServer server;
    private final Directory directory = new Directory();
    private final ContactsStore contacts = new ContactsStore(directory);
    private final FaultRegistry faults = new FaultRegistry();
    private final RequestRecorder requests = new RequestRecorder();
    private final TokenTampering tampering = new TokenTampering();
    private final SigningKeys signingKeys = new SigningKeys();
    private final TokenIssuer tokenIssuer;
    private final IdentityApi identity;
    private final GraphApi graph;
    private final ControlApi control;
    private final Router router = new Router();
    private final Clock clock;
    private final PresenceStore presence;
    private final CalendarStore calendars = new CalendarStore();
    private final NotificationService notifications;
    private final PresenceGenerator presenceGenerator;
    private volatile boolean started;

    private EntraSimulator(Builder b) {
        this.tls = TlsMaterial.loadOrCreate(b.certDir, b.hostNames);
        this.server = new SimulatorHttpServer(b.host, b.port, tls.serverContext());
        this.baseUrl = "https://" + urlHost(b.host) + ":" + server.port();
        this.clock = b.clock;
        this.presence = new PresenceStore(b.clock);
        this.notifications = new NotificationService(b.clock, signingKeys);
        this.presenceGenerator = new PresenceGenerator(directory, presence);
        presence.addListener(notifications::presenceChanged);
        directory.addChangeListener(notifications::directoryChanged);
        this.tokenIssuer = new TokenIssuer(baseUrl, signingKeys, directory, tampering, b.clock);
        this.identity = new IdentityApi(baseUrl, directory, signingKeys, tokenIssuer, b.clock);
        this.graph = new GraphApi(baseUrl, directory, contacts,
                new AccessTokenValidator(signingKeys, new GraphAudiences(baseUrl), directory, b.clock),
                presence, calendars, notifications, b.clock);
        this.control = new ControlApi(this);
        control.register(router);
        graph.register(router);
        identity.register(router);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts serving; returns this for chaining. */
    public synchronized EntraSimulator start() {
        if (!started) {
            server.start(new Dispatcher(router, faults, requests, this::areaOf, this::tenantHint,
                    inner -> new dev.entrapbx.simulator.graph.BatchEndpoint(inner)::handle));
            started = true;
        }
        return this;
    }

    /** {@code https://host:port}, without a trailing slash. */
    public String baseUrl() { return baseUrl; }

    public int port() { return server.port(); }

    /** The CA certificate (PEM) that signed the server certificate: give it to Keycloak with --truststore-paths. */
    public Path trustAnchorPem() { return tls.trustAnchorPem(); }

    /** An SSLContext trusting the simulator, for test HTTP clients (java.net.http, MSAL4J...). */
    public SSLContext sslContext() { return tls.clientContext(); }

    /** The simulator's TLS material (its CA and a localhost certificate). */
    public TlsMaterial tls() { return tls; }

    public Directory directory() { return directory; }

    /** Outlook contacts of mailboxes and organizational contacts. */
    public ContactsStore contacts() { return contacts; }

    public FaultRegistry faults() { return faults; }

    /** Teams presence of users (their own state, licence, application sessions, the setPresence log). */
    public PresenceStore presence() { return presence; }

    /** Calendar events for getSchedule (free/busy). */
    public CalendarStore calendars() { return calendars; }

    /** Change-notification subscriptions and webhook deliveries. */
    public NotificationService notifications() { return notifications; }

    /** Random presence changes at a rate, for benchmarks. */
    public PresenceGenerator presenceGenerator() { return presenceGenerator; }

    public Clock clock() { return clock; }

    /** Requests received (not control API calls), e.g. to assert which headers a Graph client sent. */
    public RequestRecorder requests() { return requests; }

    /** Test-only: queue defective ID tokens for a client. */
    public TokenTampering tampering() { return tampering; }

    public SigningKeys signingKeys() { return signingKeys; }

    public TokenIssuer tokenIssuer() { return tokenIssuer; }

    /** The v2.0 issuer of a tenant: {@code {base}/{tenantId}/v2.0}. */
    public String issuer(String tenantId) { return tokenIssuer.issuer(tenantId); }

    /** Rotates the token-signing key; with {@code keepPrevious} the old key stays in the JWKS. */
    public void rotateSigningKey(boolean keepPrevious) {
        signingKeys.rotate(keepPrevious);
    }

    /** Loads a seed file (the format of POST /_sim/seed). */
    public SeedLoader.Summary loadSeed(Path jsonFile) {
        return loadSeed(Json.read(jsonFile));
    }

    public SeedLoader.Summary loadSeed(JsonNode seed) {
        return new SeedLoader(directory).load(seed);
    }

    /** Forgets all state: directory, sessions, codes, refresh tokens, faults, tampering, recorded requests. */
    public void reset() {
        directory.reset();
        contacts.reset();
        presenceGenerator.stop();
        presence.reset();
        calendars.reset();
        notifications.reset();
        identity.reset();
        faults.clear();
        tampering.clear();
        requests.clear();
    }

    @Override
    public void close() {
        presenceGenerator.stop();
        server.close();
        notifications.close();
        presence.close();
    }

    private AreaResponses areaOf(Request request) {
        String path = request.path();
        if (path.startsWith("/_sim")) {
            return control;
        }
        if (path.startsWith("/v1.0/") || path.equals("/v1.0") || path.startsWith("/oidc/")) {
            return graph;
        }
        return identity;
    }

    /** The tenant a request is about, for tenant-scoped faults: the bearer token's tid or the login URL's tenant. */
    private Optional<String> tenantHint(Request request) {
        Optional<String> bearer = request.bearerToken();
        if (bearer.isPresent()) {
            try {
                Object tid = SignedJWT.parse(bearer.get()).getJWTClaimsSet().getClaim("tid");
                if (tid != null) {
                    return Optional.of(tid.toString());
                }
            } catch (ParseException ignored) {
                // not a JWT: no tenant
            }
        }
        String path = request.path();
        int end = path.indexOf('/', 1);
        String first = end < 0 ? path.substring(1) : path.substring(1, end);
        return first.isEmpty() ? Optional.empty() : directory.tenant(first).map(Tenant::id);
    }

    private static String urlHost(String host) {
        try {
            InetAddress address = InetAddress.getByName(host);
            if (address instanceof Inet6Address && !host.startsWith("[")) {
                return "[" + host + "]";
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Unknown host " + host, e);
        }
        return host;
    }

    /** Configuration of a simulator. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private Path certDir = Path.of(System.getProperty("java.io.tmpdir"), "entra-simulator-tls");
        private Clock clock = Clock.systemUTC();
        private final java.util.List<String> hostNames = new java.util.ArrayList<>();

        private Builder() { }

        /** An extra DNS name for the server certificate (e.g. "simulator" in a compose network). */
        public Builder hostName(String name) {
            this.hostNames.add(Objects.requireNonNull(name));
            return this;
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535");
            }
            this.port = port;
            return this;
        }

        /** Where ca.pem, ca-key.pem and server.p12 live; existing files are reused. */
        public Builder certDir(Path certDir) {
            this.certDir = Objects.requireNonNull(certDir);
            return this;
        }

        /** Clock for token lifetimes and expiry checks (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Prepares TLS material and binds the port; call {@link EntraSimulator#start()} to serve. */
        public EntraSimulator build() {
            return new EntraSimulator(this);
        }
    }
}
