package dev.entrapbx.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Starts Keycloak from a prepared {@link KeycloakHome} with a JDK >= 21 ({@code kc.sh start-dev}, or
 * in production mode {@code kc.sh start --optimized} on a home built by {@link KeycloakHome#build}
 * with its runtime settings in the environment, as the container image runs), waits until
 * the management port's {@code /health/ready} answers UP (polling, never a fixed sleep), and stops
 * the whole process tree on {@link #close()}.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin";

    private final Options options;
    private final Process process;
    private final long startedNanos;
    private final Thread stopOnExit;
    private Duration bootTime;

    public static final class Options {
        KeycloakHome home;
        int httpPort = 8080;
        int managementPort = 9000;
        Database database = Database.h2();
        String schema = "keycloak";
        boolean freshData;
        final List<Path> truststore = new ArrayList<>();
        final List<String> extraOptions = new ArrayList<>();
        final Map<String, String> environment = new LinkedHashMap<>();
        final Map<String, String> realmImports = new LinkedHashMap<>();
        Path logFile;
        Duration readyTimeout = Duration.ofMinutes(4);
        boolean production;
        String publicUrl;

        public Options home(KeycloakHome h) { this.home = h; return this; }
        public Options httpPort(int p) { this.httpPort = p; return this; }
        public Options managementPort(int p) { this.managementPort = p; return this; }
        public Options database(Database d) { this.database = Objects.requireNonNull(d); return this; }
        public Options schema(String s) { this.schema = s; return this; }
        public Options freshData(boolean f) { this.freshData = f; return this; }
        public Options trust(Path pem) { this.truststore.add(pem); return this; }
        public Options option(String kcOption) { this.extraOptions.add(kcOption); return this; }
        /** Environment of the Keycloak process; realm imports may use it as ${NAME} placeholders. */
        public Options env(String name, String value) { this.environment.put(name, value); return this; }
        /** A realm JSON document imported at start (file name -> content). */
        public Options importRealm(String fileName, String json) { this.realmImports.put(fileName, json); return this; }
        public Options logFile(Path f) { this.logFile = f; return this; }
        public Options readyTimeout(Duration d) { this.readyTimeout = d; return this; }
        /**
         * Production mode: {@code kc.sh start --optimized} (the home must be built), HTTPS on
         * {@link #httpPort}, runtime settings as {@code KC_*} environment variables (see
         * {@link KeycloakCluster}); {@code publicUrl} is the address clients use (a load balancer's).
         */
        public Options production(String publicUrl) { this.production = true; this.publicUrl = publicUrl; return this; }
    }

    public static Options options() {
        return new Options();
    }

    private KeycloakServer(Options options, Process process, long startedNanos) {
        this.options = options;
        this.process = process;
        this.startedNanos = startedNanos;
        // if the launching JVM ends without close() (SIGTERM, a killed test fork), Keycloak goes too
        this.stopOnExit = new Thread(this::stopProcessTree, "keycloak-stop-on-exit");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** Starts Keycloak and blocks until it is ready, or throws with the log's last lines. */
    public static KeycloakServer start(Options o) {
        Objects.requireNonNull(o.home, "home");
        Jdks.Jdk jdk = Jdks.findForKeycloak();
        requireFree(o.httpPort, "HTTP");
        requireFree(o.managementPort, "management");
        try {
            if (o.freshData) {
                KeycloakHome.deleteTree(o.home.dataDir());
            }
            o.database.preparePostgres(o.schema, o.freshData);
            Files.createDirectories(o.home.importDir());
            Files.createDirectories(o.home.vaultDir());
            try (var old = Files.list(o.home.importDir())) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
            for (var e : o.realmImports.entrySet()) {
                Files.writeString(o.home.importDir().resolve(e.getKey()), e.getValue());
            }
            Path log = o.logFile != null ? o.logFile : o.home.path().resolve("keycloak.log");
            Files.createDirectories(log.toAbsolutePath().getParent());

            List<String> cmd = new ArrayList<>(List.of("/bin/bash", o.home.kcSh().toString()));
            if (o.production) {
                cmd.addAll(KeycloakCluster.START_COMMAND);
            } else {
                cmd.addAll(List.of("start-dev",
                        "--http-port=" + o.httpPort,
                        "--http-management-port=" + o.managementPort,
                        "--health-enabled=true",
                        "--vault=file", "--vault-dir=" + o.home.vaultDir(),
                        "--import-realm"));
                cmd.addAll(o.database.keycloakOptions(o.schema));
                if (!o.truststore.isEmpty()) {
                    cmd.add("--truststore-paths=" + String.join(",", o.truststore.stream().map(Path::toString).toList()));
                }
            }
            cmd.addAll(o.extraOptions);

            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .directory(o.home.path().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("JAVA_HOME", jdk.home().toString());
            env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
            env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
            if (o.database.password() != null && !o.database.password().isEmpty()) {
                env.put("KC_DB_PASSWORD", o.database.password());
            }
            if (o.production) {
                env.putAll(KeycloakCluster.nodeEnvironment(o));
            }
            env.putAll(o.environment);
            long t0 = System.nanoTime();
            KeycloakServer server = new KeycloakServer(o, pb.start(), t0);
            server.awaitReady(log);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start Keycloak: " + e.getMessage(), e);
        }
    }

    private void awaitReady(Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI health = URI.create("http://127.0.0.1:" + options.managementPort + KeycloakCluster.HEALTH_PATH);
        long deadline = System.nanoTime() + options.readyTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with code " + process.exitValue() + " before it was ready.\n"
                        + tail(log, 40));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(3)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("UP") && process.isAlive()) {
                    bootTime = Duration.ofNanos(System.nanoTime() - startedNanos);
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
            }
            try {
                process.waitFor(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
            }
        }
        close();
        throw new IllegalStateException("Keycloak was not ready within " + options.readyTimeout.toSeconds() + " s.\n" + tail(log, 40));
    }

    /** Refuses to start next to another server on the same port, whose health would look like ours. */
    private static void requireFree(int port, String what) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.bind(new java.net.InetSocketAddress("0.0.0.0", port));
        } catch (IOException e) {
            throw new IllegalStateException("The " + what + " port " + port + " is in use (another ./run or Keycloak?): stop it or choose "
                    + "another port (./run --port N --management-port N).");
        }
    }

    /** Completes when the Keycloak process ends (e.g. it crashed after start). */
    public java.util.concurrent.CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return "---- last lines of " + log + " ----\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /** This node's own address, e.g. http://localhost:8080 (https:// in production mode). */
    public String baseUrl() {
        return (options.production ? "https" : "http") + "://localhost:" + options.httpPort;
    }

    /** The address in Keycloak's links and tokens: a load balancer's in production mode, else {@link #baseUrl()}. */
    public String publicUrl() {
        return options.production ? options.publicUrl : baseUrl();
    }

    /** The process id of the Keycloak JVM's launcher (kc.sh); the JVM is its child. */
    public ProcessHandle process() {
        return process.toHandle();
    }

    /** Kills the server as a crash would (SIGKILL to the whole tree: no shutdown, transactions cut off). */
    public void kill() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // nothing to remove
        }
        signalTree(true);
    }

    /** Stops this server (gracefully) and starts it again with {@code moreOptions} added (same data and ports). */
    public KeycloakServer restartWith(List<String> moreOptions) {
        close();
        for (String o : moreOptions) { // an option given again replaces its earlier value
            String name = o.contains("=") ? o.substring(0, o.indexOf('=') + 1) : o;
            options.extraOptions.removeIf(old -> old.equals(o) || old.startsWith(name));
            options.extraOptions.add(o);
        }
        return startAgain();
    }

    /** Starts a server again with the options it had (same data and ports, data kept). */
    public KeycloakServer startAgain() {
        options.freshData(false);
        Path log = logFile();
        try { // the earlier run's log stays readable next to the new one (a failed test after a restart needs both)
            if (Files.exists(log)) {
                Files.move(log, log.resolveSibling(log.getFileName() + ".before-restart"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (java.io.IOException e) {
            // the new run overwrites it
        }
        return start(options);
    }

    Path logFile() {
        return options.logFile != null ? options.logFile : options.home.path().resolve("keycloak.log");
    }

    public int httpPort() {
        return options.httpPort;
    }

    /** e.g. http://127.0.0.1:9000 (health, and metrics when enabled) */
    public String managementUrl() {
        return "http://127.0.0.1:" + options.managementPort;
    }

    public Duration bootTime() {
        return bootTime;
    }

    public Database database() {
        return options.database;
    }

    public KeycloakHome home() {
        return options.home;
    }

    public KeycloakAdminClient admin() {
        return new KeycloakAdminClient(baseUrl(), ADMIN_USER, ADMIN_PASSWORD);
    }

    /** Stops Keycloak gracefully (SIGTERM to the JVM), forcibly after 30 s. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs (or ran) anyway
        }
        stopProcessTree();
    }

    /**
     * Kills the server as a crash would (SIGKILL: no shutdown, transactions cut off) and starts it
     * again on the same data and ports; returns the new server. For crash-recovery tests.
     */
    public KeycloakServer crashAndRestart() {
        kill();
        return startAgain();
    }

    private void stopProcessTree() {
        signalTree(false);
    }

    /** SIGKILL ({@code kill}) or SIGTERM to Keycloak's process tree, waiting up to 30 s for each (SIGTERM: then SIGKILL). */
    private void signalTree(boolean kill) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(kill ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (kill) {
                    throw new IllegalStateException("Keycloak process " + p.pid() + " did not die", e);
                }
                p.destroyForcibly();
            }
        }
    }
}
