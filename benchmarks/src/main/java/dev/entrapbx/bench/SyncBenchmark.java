package dev.entrapbx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.Database;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.simulator.model.User;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Entra user sync versus Keycloak's own LDAP federation, in one run on one Keycloak:
 *
 * <ol>
 * <li>full sync of N simulator users (entra-users) and full sync of N OpenLDAP users (Keycloak's
 *     {@code ldap} provider, import mode, same kinds of attributes), each timed from the admin
 *     REST call to its answer, with the Keycloak JVM's heap sampled meanwhile;</li>
 * <li>changed sync of 100 changes in the N-user directory versus in a 1,000-user directory.</li>
 * </ol>
 *
 * <p>Usage: {@code java -cp benchmarks/target/entra-pbx-benchmarks.jar dev.entrapbx.bench.SyncBenchmark
 * [users, default 100000] [--db postgres|h2] [--no-ldap]}. The LDAP anchor needs Debian's slapd (see
 * benchmarks/ldap/README.md; the script installs it). Results: target/benchmarks/sync.md.
 */
public final class SyncBenchmark {

    private static final String USER_STORAGE = "org.keycloak.storage.UserStorageProvider";
    private static final int CHANGES = 100;
    private static final int SMALL = 1000;

    private SyncBenchmark() {
    }

    record Timed(long millis, JsonNode result, long peakHeapMb) {
        double perSecond(int users) {
            return users * 1000.0 / Math.max(1, millis);
        }
    }

    /** Photo checks on (the component's default) unless --no-photos. */
    static boolean photos = true;

    public static void main(String[] args) throws Exception {
        int n = 100_000;
        String db = "postgres";
        boolean ldap = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--db" -> db = args[++i];
                case "--no-ldap" -> ldap = false;
                case "--no-photos" -> photos = false;
                default -> n = Integer.parseInt(args[i]);
            }
        }
        Database database = Database.fromName(db, System.getProperty("entrapbx.db.url", "jdbc:postgresql://127.0.0.1:5432/postgres"),
                System.getProperty("entrapbx.db.user", "postgres"), System.getProperty("entrapbx.db.password", ""));
        try (EntraPbxStack stack = EntraPbxStack.start(EntraPbxStack.config().name("bench-sync").ephemeralPorts().freshData(true)
                .database(database).seedDemo(false)
                .keycloakOption("--metrics-enabled=true"))) {
            KeycloakAdminClient admin = stack.keycloak().admin();
            startAnalyzer(database, "entrapbx_bench_sync");
            HeapSampler heap = new HeapSampler(stack.keycloak().managementUrl() + "/metrics");

            BenchCustomer big = BenchCustomer.create(stack, "bench-big", n);
            BenchCustomer small = BenchCustomer.create(stack, "bench-small", SMALL);

            System.out.printf("[sync-bench] full sync of %,d Entra users ...%n", n);
            Timed entraFull = heap.during(() -> big.sync(true));
            System.out.printf("[sync-bench] entra full: %d ms, %.0f users/s, peak heap %d MB, %s%n", entraFull.millis(),
                    entraFull.perSecond(n), entraFull.peakHeapMb(), entraFull.result());
            small.sync(true);

            big.change(CHANGES);
            small.change(CHANGES);
            Timed bigChanged = heap.during(() -> big.sync(false));
            Timed smallChanged = heap.during(() -> small.sync(false));
            System.out.printf("[sync-bench] changed sync, %d changes: in %,d users %d ms, in %,d users %d ms%n", CHANGES, n,
                    bigChanged.millis(), SMALL, smallChanged.millis());

            Timed ldapFull = null;
            if (ldap) {
                ldapFull = ldapAnchor(stack, admin, heap, n);
                System.out.printf("[sync-bench] ldap full: %d ms, %.0f users/s, peak heap %d MB, %s%n", ldapFull.millis(),
                        ldapFull.perSecond(n), ldapFull.peakHeapMb(), ldapFull.result());
            }
            report(n, database.toString(), stack.settings().keycloakVersion(), entraFull, ldapFull, bigChanged, smallChanged);
        }
    }

    /**
     * PostgreSQL keeps planner statistics fresh through autovacuum (ANALYZE about every minute while
     * tables grow). Where autovacuum is off (as on the machines these numbers come from), this does
     * the same for the benchmark's schema, for both syncs alike; without it, plans made for empty
     * tables make every sync crawl as the tables fill.
     */
    static void startAnalyzer(Database db, String schema) {
        startAnalyzer(db, schema, List.of());
    }

    /** {@link #startAnalyzer(Database, String)} with {@code more} tables analyzed too (lower-case names). */
    static void startAnalyzer(Database db, String schema, List<String> more) {
        if (db.kind() != Database.Kind.POSTGRES) {
            return;
        }
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(60_000);
                    try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.url(), db.username(), db.password());
                         java.sql.Statement st = c.createStatement()) {
                        List<String> tables = new ArrayList<>(List.of("user_entity", "user_attribute", "federated_identity",
                                "user_group_membership", "user_role_mapping", "entrapbx_extension"));
                        tables.addAll(more);
                        for (String table : tables) {
                            st.execute("ANALYZE " + schema + "." + table);
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    System.out.println("[sync-bench] analyze: " + e.getMessage());
                }
            }
        }, "pg-analyze");
        t.setDaemon(true);
        t.start();
    }

    /** One customer ({@link Customer}: tenant, app, IdP, Organization) in a realm of its own, with n users and a sync component. */
    record BenchCustomer(Customer customer, String componentId) {

        static BenchCustomer create(EntraPbxStack stack, String name, int users) {
            TestRealm realm = TestRealm.create(stack.keycloak().admin(), name);
            Customer c = Customer.in(stack, realm, name).permissions("User.Read.All", "Domain.Read.All").create();
            long t0 = System.nanoTime();
            c.directory().generateUsers(c.tenantId(), users, c.domain(), "u");
            System.out.printf("[sync-bench] %s: %,d simulator users generated in %d ms%n", name, users, (System.nanoTime() - t0) / 1_000_000);
            String id = c.createSync(name + "-sync", Map.of("extensionRange", "100000-999999",
                    "guardMaxUsers", "0", "guardMaxPercent", "0", "syncPhotos", String.valueOf(photos)));
            return new BenchCustomer(c, id);
        }

        /**
         * Runs a sync through the admin console's REST call. A sync longer than Keycloak's transaction
         * timeout (300 s) ends, but the REST call's own request transaction is reaped meanwhile and it
         * answers an error; the run log then has the outcome, which is what is returned.
         */
        JsonNode sync(boolean full) throws InterruptedException {
            KeycloakAdminClient.Response r = customer.trySync(componentId, full, java.time.Duration.ofHours(2));
            if (r.status() == 200) {
                return r.json();
            }
            while (true) {
                JsonNode last = customer.runs(componentId, 1).path(0);
                if (!"RUNNING".equals(last.path("status").asText())) {
                    System.out.printf("[sync-bench] the REST call answered %d (request transaction timed out); run log: %s%n",
                            r.status(), last);
                    return last;
                }
                Thread.sleep(1000); // polling the run log for the end of the run
            }
        }

        /** Changes the job title of {@code count} users spread over the directory. */
        void change(int count) {
            List<User> users = customer.directory().users(customer.tenantId());
            int step = Math.max(1, users.size() / count);
            for (int i = 0, done = 0; i < users.size() && done < count; i += step, done++) {
                customer.directory().patchUser(customer.tenantId(), users.get(i).id(), Map.of("jobTitle", "Changed " + System.nanoTime()));
            }
        }
    }

    /** Keycloak's LDAP federation (import mode) full-syncing n users from a local slapd. */
    static Timed ldapAnchor(EntraPbxStack stack, KeycloakAdminClient admin, HeapSampler heap, int n) throws Exception {
        Path script = stack.settings().projectRoot().resolve("benchmarks/ldap/slapd-anchor.sh");
        Path work = stack.settings().workDir().resolve("ldap-anchor");
        int port = 10389;
        run(List.of("bash", script.toString(), "start", work.toString(), String.valueOf(port), String.valueOf(n)));
        try {
            TestRealm.create(admin, "bench-ldap");
            Map<String, List<String>> cfg = new LinkedHashMap<>();
            cfg.put("enabled", List.of("true"));
            cfg.put("vendor", List.of("other"));
            cfg.put("connectionUrl", List.of("ldap://127.0.0.1:" + port));
            cfg.put("bindDn", List.of("cn=admin,dc=bench,dc=example"));
            cfg.put("bindCredential", List.of("bench-admin"));
            cfg.put("authType", List.of("simple"));
            cfg.put("usersDn", List.of("ou=people,dc=bench,dc=example"));
            cfg.put("usernameLDAPAttribute", List.of("uid"));
            cfg.put("rdnLDAPAttribute", List.of("uid"));
            cfg.put("uuidLDAPAttribute", List.of("entryUUID"));
            cfg.put("userObjectClasses", List.of("inetOrgPerson"));
            cfg.put("editMode", List.of("READ_ONLY"));
            cfg.put("importEnabled", List.of("true"));
            cfg.put("syncRegistrations", List.of("false"));
            cfg.put("searchScope", List.of("1"));
            cfg.put("pagination", List.of("true"));
            cfg.put("batchSizeForSync", List.of("1000"));
            cfg.put("trustEmail", List.of("true"));
            Map<String, Object> rep = new LinkedHashMap<>();
            rep.put("name", "ldap-anchor");
            rep.put("providerId", "ldap");
            rep.put("providerType", USER_STORAGE);
            rep.put("parentId", admin.get("/bench-ldap").path("id").asText());
            rep.put("config", cfg);
            admin.send("POST", "/bench-ldap/components", rep).expect(201);
            String id = admin.get("/bench-ldap/components?type=" + USER_STORAGE + "&name=ldap-anchor").get(0).path("id").asText();
            // the same kinds of attributes as the Entra side writes
            for (String[] m : new String[][] {{"phone", "telephoneNumber", "businessPhones"}, {"title", "title", "jobTitle"},
                    {"department", "departmentNumber", "department"}, {"employee", "employeeNumber", "employeeId"}}) {
                Map<String, Object> mapper = new LinkedHashMap<>();
                mapper.put("name", m[0]);
                mapper.put("providerId", "user-attribute-ldap-mapper");
                mapper.put("providerType", "org.keycloak.storage.ldap.mappers.LDAPStorageMapper");
                mapper.put("parentId", id);
                mapper.put("config", Map.of("ldap.attribute", List.of(m[1]), "user.model.attribute", List.of(m[2]),
                        "read.only", List.of("true"), "always.read.value.from.ldap", List.of("false"),
                        "is.mandatory.in.ldap", List.of("false")));
                admin.send("POST", "/bench-ldap/components", mapper).expect(201);
            }
            System.out.printf("[sync-bench] full sync of %,d LDAP users (anchor) ...%n", n);
            return heap.during(() -> {
                KeycloakAdminClient.Response r = admin.send("POST", "/bench-ldap/user-storage/" + id + "/sync?action=triggerFullSync",
                        null, java.time.Duration.ofHours(2));
                if (r.status() == 200) {
                    return r.json();
                }
                // past Keycloak's 300 s transaction timeout the REST call answers an error while the import goes
                // on in its own transactions (as for the Entra sync): wait until the users stop growing (polled every
                // 5 s, so the time ends up to 10 s after the last user, against LDAP)
                System.out.printf("[sync-bench] the LDAP REST call answered %d; waiting for the import to finish%n", r.status());
                long last = -1;
                while (true) {
                    Thread.sleep(5_000);
                    long count = admin.get("/bench-ldap/users/count").asLong();
                    if (count == last) {
                        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("imported", count)
                                .put("note", "REST call answered " + r.status() + " after the transaction timeout; timed to the last import");
                    }
                    last = count;
                }
            });
        } finally {
            run(List.of("bash", script.toString(), "stop", work.toString()));
        }
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            r.lines().forEach(l -> System.out.println("[ldap] " + l));
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    /** Samples the Keycloak JVM's used heap (Micrometer's jvm_memory_used_bytes, area heap) while a call runs. */
    static final class HeapSampler {
        private final HttpClient http = HttpClient.newHttpClient();
        private final URI metrics;

        HeapSampler(String metricsUrl) {
            this.metrics = URI.create(metricsUrl);
        }

        interface Call {
            JsonNode run() throws Exception;
        }

        Timed during(Call call) throws Exception {
            AtomicLong peak = new AtomicLong();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (running.get()) {
                    peak.accumulateAndGet(usedHeapBytes(), Math::max);
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
            long t0 = System.nanoTime();
            JsonNode result;
            try {
                result = call.run();
            } finally {
                running.set(false);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            sampler.join(1000);
            return new Timed(ms, result, peak.get() / (1024 * 1024));
        }

        long usedHeapBytes() {
            try {
                String body = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
                double sum = 0;
                for (String line : body.split("\n")) {
                    if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
                return (long) sum;
            } catch (Exception e) {
                return 0;
            }
        }
    }

    private static void report(int n, String db, String kc, Timed entra, Timed ldap, Timed bigChanged, Timed smallChanged) throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("| Date | Users | DB | Keycloak | entra full (s) | entra users/s | ldap full (s) | ldap users/s | ratio entra/ldap "
                + "| peak heap entra / ldap (MB) | changed sync, 100 changes: N users / 1,000 users (ms) |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %.1f | %.0f | %s | %s | %s | %d / %s | %d / %d |%n",
                LocalDate.now(), n, db, kc, entra.millis() / 1000.0, entra.perSecond(n),
                ldap == null ? "-" : String.format(Locale.ROOT, "%.1f", ldap.millis() / 1000.0),
                ldap == null ? "-" : String.format(Locale.ROOT, "%.0f", ldap.perSecond(n)),
                ldap == null ? "-" : String.format(Locale.ROOT, "%.2f", entra.perSecond(n) / ldap.perSecond(n)),
                entra.peakHeapMb(), ldap == null ? "-" : String.valueOf(ldap.peakHeapMb()),
                bigChanged.millis(), smallChanged.millis()));
        Path out = Path.of("target", "benchmarks", "sync.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println(md);
        System.out.println("Written to " + out.toAbsolutePath());
    }

    static List<String> list(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
