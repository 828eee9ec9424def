package dev.entrapbx.harness;

import dev.entrapbx.simulator.EntraSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The Entra simulator plus a Keycloak server with the bundle installed and realm-exports/
 * imported: what the run command starts and what the integration tests share.
 *
 * <p>Realm files may use {@code ${ENTRA_SIMULATOR_URL}}; Keycloak resolves such placeholders from
 * its environment at import.
 */
public final class EntraPbxStack implements AutoCloseable {

    public static final String SIMULATOR_URL_ENV = "ENTRA_SIMULATOR_URL";

    private final HarnessSettings settings;
    private final EntraSimulator simulator;
    private volatile KeycloakServer keycloak;
    private final Duration simulatorStart;
    private final Database database;
    private final String schema;
    /** False for a view of one cluster node: the cluster stops the servers. */
    private final boolean ownsServers;

    public static final class Config {
        String name = "run";
        int httpPort = 8080;
        int managementPort = 9000;
        int simulatorPort = 8443;
        Database database = Database.h2();
        boolean freshData;
        boolean seedDemo = true;
        final java.util.List<String> keycloakOptions = new java.util.ArrayList<>();
        final java.util.Map<String, String> keycloakEnv = new java.util.LinkedHashMap<>();

        /** Keycloak home and work folder name under target/ (e.g. "run", "it"). */
        public Config name(String n) { this.name = Objects.requireNonNull(n); return this; }
        public Config httpPort(int p) { this.httpPort = p; return this; }
        public Config managementPort(int p) { this.managementPort = p; return this; }
        public Config simulatorPort(int p) { this.simulatorPort = p; return this; }
        public Config database(Database d) { this.database = Objects.requireNonNull(d); return this; }
        public Config freshData(boolean f) { this.freshData = f; return this; }
        public Config seedDemo(boolean s) { this.seedDemo = s; return this; }
        /** An extra kc.sh option, e.g. an SPI setting. */
        public Config keycloakOption(String option) { this.keycloakOptions.add(option); return this; }
        /** An environment variable of the Keycloak process, e.g. JAVA_OPTS_KC_HEAP (kc.sh's heap outside a container: 512 MB). */
        public Config keycloakEnv(String name, String value) { this.keycloakEnv.put(name, value); return this; }
        /** Ephemeral ports for everything (tests, so they never collide with a running demo). */
        public Config ephemeralPorts() {
            this.httpPort = freePort();
            this.managementPort = freePort();
            this.simulatorPort = 0;
            return this;
        }
    }

    public static Config config() {
        return new Config();
    }

    private EntraPbxStack(HarnessSettings settings, EntraSimulator simulator, KeycloakServer keycloak, Duration simulatorStart,
                          Database database, String schema, boolean ownsServers) {
        this.ownsServers = ownsServers;
        this.database = database;
        this.schema = schema;
        this.settings = settings;
        this.simulator = simulator;
        this.keycloak = keycloak;
        this.simulatorStart = simulatorStart;
    }

    public static EntraPbxStack start(Config c) {
        HarnessSettings settings = HarnessSettings.load();
        settings.requireBuilt();
        Path work = settings.workDir();
        long t0 = System.nanoTime();
        EntraSimulator sim = EntraSimulator.builder()
                .host("127.0.0.1")
                .port(c.simulatorPort)
                .certDir(work.resolve("sim-tls"))
                .build()
                .start();
        try {
            if (c.seedDemo) {
                sim.loadSeed(settings.simulatorSeed());
            }
            Duration simStart = Duration.ofNanos(System.nanoTime() - t0);
            KeycloakHome home = KeycloakHome.prepare(work.resolve("keycloak-" + c.name), settings.keycloakDistZip(),
                    settings.keycloakVersion(), KeycloakHome.jarsIn(settings.bundleProviders()), settings.themes());
            KeycloakServer.Options o = KeycloakServer.options()
                    .home(home)
                    .httpPort(c.httpPort)
                    .managementPort(c.managementPort)
                    .database(c.database)
                    .schema(schemaOf(c))
                    .freshData(c.freshData)
                    .trust(sim.trustAnchorPem())
                    .env(SIMULATOR_URL_ENV, sim.baseUrl())
                    // development and tests only: lets IdPs point at the simulator instead of Microsoft
                    .option("--spi-identity_provider--entra-id--allow-authority-override=true")
                    .option("--spi-storage--entra-users--allow-authority-override=true")
                    // admin console tabs of providers (Realm settings > Branding); experimental in Keycloak 26
                    .option("--features=declarative-ui")
                    .logFile(work.resolve("keycloak-" + c.name + ".log"));
            c.keycloakOptions.forEach(o::option);
            c.keycloakEnv.forEach(o::env);
            for (Path realm : realmFiles(settings.realmExports())) {
                o.importRealm(realm.getFileName().toString(), Files.readString(realm));
            }
            return new EntraPbxStack(settings, sim, KeycloakServer.start(o), simStart, c.database, schemaOf(c), true);
        } catch (IOException e) {
            sim.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            sim.close();
            throw e;
        }
    }

    /** One node of a {@link KeycloakCluster} with the cluster's simulator; closing it stops nothing. */
    static EntraPbxStack nodeView(HarnessSettings settings, EntraSimulator simulator, KeycloakServer node, Database database, String schema) {
        return new EntraPbxStack(settings, simulator, node, Duration.ZERO, database, schema, false);
    }

    private static String schemaOf(Config c) {
        return "entrapbx_" + c.name.replaceAll("[^a-z0-9]", "_");
    }

    /** Where Keycloak keeps its data (H2 in the work directory, or a PostgreSQL server). */
    public Database database() {
        return database;
    }

    /** Keycloak's schema on PostgreSQL. */
    public String schema() {
        return schema;
    }

    static List<Path> realmFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith("-realm.json")).sorted().toList();
        }
    }

    public EntraSimulator simulator() {
        return simulator;
    }

    public KeycloakServer keycloak() {
        return keycloak;
    }

    /** Kills Keycloak as a crash would and starts it again on the same data (crash-recovery tests). */
    public synchronized KeycloakServer crashAndRestartKeycloak() {
        keycloak = keycloak.crashAndRestart();
        return keycloak;
    }

    /** Stops Keycloak and starts it again on the same data and ports, with {@code options} added (the simulator keeps its state). */
    public synchronized KeycloakServer restartKeycloak(String... options) {
        keycloak = keycloak.restartWith(List.of(options));
        return keycloak;
    }

    public HarnessSettings settings() {
        return settings;
    }

    public Duration simulatorStartTime() {
        return simulatorStart;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (!ownsServers) {
            return;
        }
        try {
            keycloak.close();
        } finally {
            simulator.close();
        }
    }
}
