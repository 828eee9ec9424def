package dev.entrapbx.harness;

import dev.entrapbx.simulator.EntraSimulator;
import dev.entrapbx.simulator.tls.TlsMaterial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keycloak as production runs it, on this machine: the dist is built once with
 * {@link #BUILD_OPTIONS} ({@code kc.sh build}, the same options as {@code docker/Dockerfile}),
 * then N nodes start with {@link #START_COMMAND} ({@code start --optimized}) on one PostgreSQL,
 * HTTPS with a generated certificate (the simulator's local CA, which Keycloak trusts too),
 * clustered through Keycloak's default {@code jdbc-ping} discovery (each node's address in the
 * database), behind a TCP load balancer ({@link TcpBalancer}) whose address is every node's
 * hostname. Runtime settings are {@code KC_*} environment variables, as in
 * {@code docker/compose.yaml}; {@code ComposeFilesTest} checks that both files say the same.
 */
public final class KeycloakCluster implements AutoCloseable {

    /** {@code kc.sh build} options: docker/Dockerfile's build stage runs exactly these. */
    public static final List<String> BUILD_OPTIONS = List.of(
            "--db=postgres",
            "--health-enabled=true",
            "--metrics-enabled=true",
            "--features=organization,declarative-ui");

    /** How every node starts: docker/Dockerfile's CMD and docker/compose.yaml's command begin with it. */
    public static final List<String> START_COMMAND = List.of("start", "--optimized");

    /**
     * Options for development and tests only (never in production): Entra IdPs and syncs may point
     * at the simulator. compose.yaml's command adds them too.
     */
    public static final List<String> DEVELOPMENT_OPTIONS = List.of(
            "--spi-identity_provider--entra-id--allow-authority-override=true",
            "--spi-storage--entra-users--allow-authority-override=true");

    /** Runtime settings every node gets, here and in compose.yaml (values differ: hosts, paths). */
    public static final Set<String> IMAGE_ENVIRONMENT = Set.of(
            "KC_DB_URL", "KC_DB_USERNAME", "KC_DB_PASSWORD",
            "KC_HOSTNAME",
            "KC_HTTPS_KEY_STORE_FILE", "KC_HTTPS_KEY_STORE_PASSWORD",
            "KC_HTTP_MANAGEMENT_SCHEME",
            "KC_TRUSTSTORE_PATHS",
            "KC_BOOTSTRAP_ADMIN_USERNAME", "KC_BOOTSTRAP_ADMIN_PASSWORD",
            EntraPbxStack.SIMULATOR_URL_ENV);

    /**
     * Settings only the harness needs: several nodes on one host need their own ports and a
     * loopback cluster address, and the tests' database is shared, so Keycloak gets a schema.
     */
    public static final Set<String> HARNESS_ENVIRONMENT = Set.of(
            "KC_HTTPS_PORT", "KC_HTTP_MANAGEMENT_PORT",
            "KC_CACHE_EMBEDDED_NETWORK_BIND_ADDRESS", "KC_CACHE_EMBEDDED_NETWORK_BIND_PORT",
            "KC_DB_SCHEMA");

    /** The readiness check (HTTP on the management port), here and in compose.yaml's healthcheck. */
    public static final String HEALTH_PATH = "/health/ready";

    private static final Pattern TWO_MEMBER_VIEW = Pattern.compile("ISPN000094: Received new cluster view .*\\((\\d+)\\)");

    private final HarnessSettings settings;
    private final EntraSimulator simulator;
    private final Database database;
    private final String schema;
    private final TcpBalancer balancer;
    private final KeycloakServer[] nodes;

    public static final class Config {
        String name = "cluster";
        int nodes = 2;
        Database database = Database.postgres(null, null, null);
        final List<String> keycloakOptions = new ArrayList<>();

        public Config name(String n) { this.name = Objects.requireNonNull(n); return this; }
        public Config nodes(int n) { this.nodes = n; return this; }
        public Config database(Database d) { this.database = Objects.requireNonNull(d); return this; }
        /** An extra kc.sh option for every node (e.g. an SPI setting a test needs). */
        public Config keycloakOption(String option) { this.keycloakOptions.add(option); return this; }
    }

    public static Config config() {
        return new Config();
    }

    private KeycloakCluster(HarnessSettings settings, EntraSimulator simulator, Database database, String schema, TcpBalancer balancer,
                            KeycloakServer[] nodes) {
        this.settings = settings;
        this.simulator = simulator;
        this.database = database;
        this.schema = schema;
        this.balancer = balancer;
        this.nodes = nodes;
    }

    /** Builds Keycloak (when needed), starts the simulator and the nodes one after the other, and waits until they form one cluster. */
    public static KeycloakCluster start(Config c) {
        if (c.database.kind() != Database.Kind.POSTGRES) {
            throw new IllegalArgumentException("A cluster needs PostgreSQL (its nodes share the database and find each other in it).");
        }
        HarnessSettings settings = HarnessSettings.load();
        settings.requireBuilt();
        Path work = settings.workDir();
        String schema = "entrapbx_" + c.name.replaceAll("[^a-z0-9]", "_");
        EntraSimulator sim = EntraSimulator.builder().host("127.0.0.1").port(0).certDir(work.resolve("sim-tls")).build().start();
        TcpBalancer balancer = null;
        KeycloakServer[] nodes = new KeycloakServer[c.nodes];
        try {
            Jdks.Jdk jdk = Jdks.findForKeycloak();
            KeycloakHome first = KeycloakHome.prepare(work.resolve("keycloak-" + c.name + "-1"), settings.keycloakDistZip(),
                    settings.keycloakVersion(), KeycloakHome.jarsIn(settings.bundleProviders()), settings.themes());
            long t0 = System.nanoTime();
            first.build(BUILD_OPTIONS, jdk, work.resolve("keycloak-" + c.name + "-build.log"));
            System.out.printf("[entra-pbx cluster] kc.sh build %s: %d ms%n", String.join(" ", BUILD_OPTIONS),
                    (System.nanoTime() - t0) / 1_000_000);
            List<Integer> httpsPorts = new ArrayList<>();
            for (int i = 0; i < c.nodes; i++) {
                httpsPorts.add(EntraPbxStack.freePort());
            }
            balancer = new TcpBalancer(EntraPbxStack.freePort(),
                    httpsPorts.stream().map(p -> new InetSocketAddress("127.0.0.1", p)).toList());
            String publicUrl = "https://localhost:" + balancer.port();
            TlsMaterial tls = sim.tls();
            for (int i = 0; i < c.nodes; i++) {
                KeycloakHome home = i == 0 ? first : first.copyTo(work.resolve("keycloak-" + c.name + "-" + (i + 1)));
                KeycloakServer.Options o = KeycloakServer.options()
                        .home(home)
                        .production(publicUrl)
                        .httpPort(httpsPorts.get(i))
                        .managementPort(EntraPbxStack.freePort())
                        .database(c.database)
                        .schema(schema)
                        .freshData(i == 0)
                        .trust(tls.trustAnchorPem())
                        .env("KC_HTTPS_KEY_STORE_FILE", tls.serverKeyStore().toString())
                        .env("KC_HTTPS_KEY_STORE_PASSWORD", TlsMaterial.KEYSTORE_PASSWORD)
                        .env("KC_CACHE_EMBEDDED_NETWORK_BIND_ADDRESS", "127.0.0.1")
                        .env("KC_CACHE_EMBEDDED_NETWORK_BIND_PORT", String.valueOf(clusterPort(7800 + 10 * i)))
                        .env(EntraPbxStack.SIMULATOR_URL_ENV, sim.baseUrl())
                        .logFile(work.resolve("keycloak-" + c.name + "-" + (i + 1) + ".log"));
                DEVELOPMENT_OPTIONS.forEach(o::option);
                c.keycloakOptions.forEach(o::option);
                nodes[i] = KeycloakServer.start(o);
                System.out.printf("[entra-pbx cluster] node %d on %s ready in %d ms%n", i + 1, nodes[i].baseUrl(), nodes[i].bootTime().toMillis());
            }
            KeycloakCluster cluster = new KeycloakCluster(settings, sim, c.database, schema, balancer, nodes);
            cluster.awaitMembers(c.nodes, Duration.ofSeconds(90));
            return cluster;
        } catch (RuntimeException e) {
            for (KeycloakServer n : nodes) {
                if (n != null) {
                    n.close();
                }
            }
            if (balancer != null) {
                balancer.close();
            }
            sim.close();
            throw e;
        }
    }

    /**
     * A free port for the cluster transport from {@code from} on; JGroups' failure detection
     * listens 50,000 above it (FD_SOCK2), so both must be free and below 65,536.
     */
    static int clusterPort(int from) {
        for (int p = from; p < 15_000; p++) {
            if (free(p) && free(p + 50_000)) {
                return p;
            }
        }
        throw new IllegalStateException("No free cluster transport port from " + from);
    }

    private static boolean free(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Environment of a production-mode node (see {@link #IMAGE_ENVIRONMENT} and {@link #HARNESS_ENVIRONMENT}). */
    static Map<String, String> nodeEnvironment(KeycloakServer.Options o) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KC_HOSTNAME", o.publicUrl);
        env.put("KC_HTTPS_PORT", String.valueOf(o.httpPort));
        env.put("KC_HTTP_MANAGEMENT_PORT", String.valueOf(o.managementPort));
        env.put("KC_HTTP_MANAGEMENT_SCHEME", "http");
        if (o.database.kind() == Database.Kind.POSTGRES) {
            env.put("KC_DB_URL", o.database.url());
            env.put("KC_DB_USERNAME", o.database.username());
            env.put("KC_DB_SCHEMA", o.schema);
        }
        if (!o.truststore.isEmpty()) {
            env.put("KC_TRUSTSTORE_PATHS", String.join(",", o.truststore.stream().map(Path::toString).toList()));
        }
        return env;
    }

    /** Waits until the last node's log shows a cluster view of {@code members} nodes. */
    private void awaitMembers(int members, Duration timeout) {
        if (members < 2) {
            return;
        }
        Path log = nodes[nodes.length - 1].logFile();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                for (String line : Files.readAllLines(log)) {
                    var m = TWO_MEMBER_VIEW.matcher(line);
                    if (m.find() && Integer.parseInt(m.group(1)) >= members) {
                        return;
                    }
                }
                Thread.sleep(500);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("The nodes did not form one cluster of " + members + " within " + timeout.toSeconds()
                + " s (jdbc-ping on " + database + ").\n" + KeycloakServer.tail(log, 40));
    }

    public int size() {
        return nodes.length;
    }

    /** Node {@code i} (0-based) with the cluster's simulator, for the harness's helpers (Customer, TestRealm). */
    public synchronized EntraPbxStack node(int i) {
        return EntraPbxStack.nodeView(settings, simulator, nodes[i], database, schema);
    }

    public synchronized KeycloakServer server(int i) {
        return nodes[i];
    }

    /** The address clients use: the load balancer's (every node's KC_HOSTNAME). */
    public String publicUrl() {
        return "https://localhost:" + balancer.port();
    }

    public TcpBalancer balancer() {
        return balancer;
    }

    public EntraSimulator simulator() {
        return simulator;
    }

    public Database database() {
        return database;
    }

    public String schema() {
        return schema;
    }

    /** Kills node {@code i} as a crash would (SIGKILL: no shutdown, its work cut off). */
    public synchronized void kill(int i) {
        nodes[i].kill();
    }

    /** Starts node {@code i} again (after {@link #kill}) on the same ports and data, and waits until it rejoined. */
    public synchronized EntraPbxStack restart(int i) {
        nodes[i] = nodes[i].startAgain();
        return node(i);
    }

    @Override
    public void close() {
        try {
            for (KeycloakServer n : nodes) {
                try {
                    n.close();
                } catch (RuntimeException e) {
                    System.err.println("[entra-pbx cluster] stopping a node: " + e.getMessage());
                }
            }
        } finally {
            balancer.close();
            simulator.close();
        }
    }
}
