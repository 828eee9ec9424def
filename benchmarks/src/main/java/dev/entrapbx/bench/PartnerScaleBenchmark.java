package dev.entrapbx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entrapbx.harness.Browserless;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.Database;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.simulator.model.User;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * A partner realm of N customers (default 1,000 Organizations, each with its own domain, its own
 * {@code entra-id} IdP against its own simulator tenant, linked as the console and one-click onboarding
 * link it (hidden on the login page: the email step sends its people), an {@code entra-users} sync
 * and 100 users, SSO required) against the anchor, a realm of 1 such customer, in the same Keycloak on
 * PostgreSQL, measured alternately: the email-first decision (admin REST and the real login
 * step), a complete brokered login, a password login of a non-SSO user, the admin lists of IdPs,
 * Organizations and user-federation components, one cycle of the periodic changed sync of every
 * component (5-minute period), and the heap once loaded.
 *
 * <p>Usage: {@code java -cp benchmarks/target/entra-pbx-benchmarks.jar dev.entrapbx.bench.PartnerScaleBenchmark
 * [customers=1000] [users=100] [samples=200] [--period seconds=300] [--no-periodic]} ({@code -Dentrapbx.bench.heap=4g}: Keycloak's
 * maximum heap). Results: {@code target/benchmarks/partner-scale.md}.
 */
public final class PartnerScaleBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOCAL_PASSWORD = "Local-Passw0rd!";

    private record Realm(TestRealm realm, List<Customer> customers, List<List<String>> emails, List<String> syncs) {
        /** The same realm, its samples drawn from its first customer's people only. */
        Realm oneCustomer() {
            return new Realm(realm, customers.subList(0, 1), emails.subList(0, 1), syncs);
        }
    }

    public static void main(String[] args) throws Exception {
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int samples = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int period = 300;
        boolean periodic = true;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--period") && i + 1 < args.length) {
                period = Integer.parseInt(args[i + 1]);
            }
            periodic &= !args[i].equals("--no-periodic");
        }
        Database db = Database.postgres(System.getProperty("entrapbx.db.url"), System.getProperty("entrapbx.db.user"),
                System.getProperty("entrapbx.db.password"));
        String maxHeap = System.getProperty("entrapbx.bench.heap", "4g");
        try (EntraPbxStack stack = EntraPbxStack.start(EntraPbxStack.config().name("scale").ephemeralPorts().database(db).freshData(true)
                // kc.sh gives Keycloak 512 MB outside a container (70% of the memory in one); a partner realm of 1,000
                // customers needs more: see the heap figures in benchmarks/README.md
                .keycloakEnv("JAVA_OPTS_KC_HEAP", "-Xms1g -Xmx" + maxHeap)
                .keycloakOption("--metrics-enabled=true"))) {
            StringBuilder md = new StringBuilder();
            long t0 = System.nanoTime();
            Realm small = build(stack, "scale-small", 1, users);
            Realm big = build(stack, "scale-big", customers, users);
            md.append(String.format(Locale.ROOT, "Setup: %,d + 1 customers with %,d users each, synced, in %.1f min (Keycloak %s, %s).%n%n",
                    customers, users, (System.nanoTime() - t0) / 6e10, stack.settings().keycloakVersion(), db));
            System.out.print(md);

            long heap = heapAfterGc(stack);
            Random random = new Random(7);
            md.append("| measurement | 1 customer: median / p95 ms | ").append(String.format(Locale.ROOT, "%,d", customers))
                    .append(" customers: median / p95 ms | ratio of p95 |\n|---|---|---|---|\n");
            md.append(row("email-first decision (admin REST `sso-policy/decision`)", samples,
                    () -> decision(stack, small, random), () -> decision(stack, big, random)));
            md.append(row("email step of the login (page + email submitted, answered with Microsoft)", samples,
                    () -> emailStep(stack, small, random), () -> emailStep(stack, big, random)));
            md.append(row("brokered login, complete (email step, Microsoft, back, code)", samples / 2,
                    () -> brokeredLogin(stack, small, random), () -> brokeredLogin(stack, big, random)));
            md.append(row("password login of a non-SSO user", samples,
                    () -> passwordLogin(stack, small), () -> passwordLogin(stack, big)));
            // the rows above draw a random person of the realm: all 100 of the anchor's are cached after the
            // warm-up, hardly any of the partner realm's 100,000; these draw from one customer's 100 in both
            md.append(row("email step, the people of one customer (the same cache state in both realms)", samples,
                    () -> emailStep(stack, small.oneCustomer(), random), () -> emailStep(stack, big.oneCustomer(), random)));
            md.append(row("brokered login, complete, one customer's person", samples / 2,
                    () -> brokeredLogin(stack, small.oneCustomer(), random), () -> brokeredLogin(stack, big.oneCustomer(), random)));
            KeycloakAdminClient lists = stack.keycloak().admin();
            for (String list : List.of("/identity-provider/instances?first=0&max=11", "/organizations?first=0&max=11",
                    "/components?type=org.keycloak.storage.UserStorageProvider", "/users?first=0&max=11",
                    "/entra-sync/customers?first=0&max=20")) {
                md.append(row("admin list `" + list + "`", 30,
                        () -> timed(() -> lists.get("/" + small.realm().name() + list)),
                        () -> timed(() -> lists.get("/" + big.realm().name() + list))));
            }
            md.append(String.format(Locale.ROOT, "%nHeap after building the realm (after a full GC): %,d MB.%n", heap / (1024 * 1024)));
            System.out.print(md);

            if (!periodic) {
                write(stack, md);
                return;
            }
            switchOn(stack, big, period);
            stack.restartKeycloak("--spi-storage--entra-users--scheduled-sync-concurrency=0");
            long restarted = heapAfterGc(stack);
            md.append("\n**Keycloak's timer** (`scheduled-sync-concurrency=0`, the anchor), after a restart:\n").append(periodicCycle(stack, big, period));
            md.append(String.format(Locale.ROOT, "- heap (after a full GC): %,d MB after the restart, %,d MB after the cycle%n",
                    restarted / (1024 * 1024), heapAfterGc(stack) / (1024 * 1024)));
            System.out.println(md);
            stack.restartKeycloak("--spi-storage--entra-users--scheduled-sync-concurrency=2");
            restarted = heapAfterGc(stack);
            md.append("\n**entra-pbx's scheduler** (staggered, 2 at once), after a restart:\n").append(periodicCycle(stack, big, period));
            md.append(String.format(Locale.ROOT, "- heap (after a full GC): %,d MB after the restart, %,d MB after the cycle%n",
                    restarted / (1024 * 1024), heapAfterGc(stack) / (1024 * 1024)));
            System.out.println(md);
            write(stack, md);
        }
    }

    private static void write(EntraPbxStack stack, StringBuilder md) throws java.io.IOException {
        Path out = stack.settings().workDir().resolve("benchmarks/partner-scale.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println("Written to " + out);
    }

    // ------------------------------------------------------------------ setup

    private static Realm build(EntraPbxStack stack, String name, int customers, int users) throws Exception {
        KeycloakAdminClient admin = stack.keycloak().admin();
        TestRealm realm = TestRealm.create(admin, name);
        JsonNode rep = admin.get("/" + name);
        @SuppressWarnings("unchecked")
        Map<String, Object> update = JSON.convertValue(rep, Map.class);
        update.put("browserFlow", "entra-pbx browser");
        update.put("firstBrokerLoginFlow", "entra-pbx first broker login");
        admin.send("PUT", "/" + name, update).expect(204);
        realm.createUser("local@elsewhere.example", "local@elsewhere.example", true, LOCAL_PASSWORD);

        List<Customer> cs = Collections.synchronizedList(new ArrayList<>());
        List<List<String>> emails = Collections.synchronizedList(new ArrayList<>());
        List<String> syncs = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> jobs = new ArrayList<>();
        for (int i = 0; i < customers; i++) {
            String alias = name + "-c" + i;
            jobs.add(pool.submit(() -> {
                Customer c = Customer.in(stack, realm, alias).domain(alias + ".example").permissions(Customer.SYNC_PERMISSIONS)
                        .hiddenOnLogin().create();
                c.directory().generateUsers(c.tenantId(), users - 1, c.domain(), "u");
                c.entraUser("sso"); // the brokered logins' user of this customer (a known password)
                String sync = c.createSync(alias + "-users", Map.of("syncPhotos", "false"));
                c.sync(sync, true);
                int status = admin.send("PUT", "/" + name + "/sso-policy/organizations/" + alias, Map.of("ssoEnabled", true)).status();
                if (status != 200 && status != 201) {
                    throw new IllegalStateException("SSO policy of " + alias + ": " + status);
                }
                List<String> es = c.directory().users(c.tenantId()).stream().filter(u -> u.accountEnabled() && !"Guest".equals(u.userType()))
                        .map(User::userPrincipalName).toList();
                synchronized (cs) { // the same index in all three lists is one customer
                    cs.add(c);
                    emails.add(es);
                    syncs.add(sync);
                }
                return null;
            }));
        }
        int done = 0;
        for (Future<?> f : jobs) {
            f.get();
            if (++done % 100 == 0) {
                System.out.printf("[scale] %s: %d customers ready%n", name, done);
            }
        }
        pool.shutdown();
        return new Realm(realm, cs, emails, syncs);
    }

    // ------------------------------------------------------------------ measurements

    private static String row(String what, int n, Supplier<Double> small, Supplier<Double> big) {
        for (int i = 0; i < Math.min(20, n); i++) { // warm-up
            small.get();
            big.get();
        }
        List<Double> s = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i % 2 == 0) {
                s.add(small.get());
                b.add(big.get());
            } else {
                b.add(big.get());
                s.add(small.get());
            }
        }
        double sp95 = BrokerLoginBenchmark.percentile(s, 95);
        double bp95 = BrokerLoginBenchmark.percentile(b, 95);
        String line = String.format(Locale.ROOT, "| %s | %.1f / %.1f | %.1f / %.1f | %.2f |%n", what, BrokerLoginBenchmark.percentile(s, 50), sp95,
                BrokerLoginBenchmark.percentile(b, 50), bp95, bp95 / sp95);
        System.out.print(line);
        return line;
    }

    private static double timed(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return (System.nanoTime() - t) / 1e6;
    }

    private static String anyEmail(Realm r, Random random) {
        List<String> es = r.emails().get(random.nextInt(r.emails().size()));
        return es.get(random.nextInt(es.size()));
    }

    /** One admin session for the decision samples (a new client would sign in every time). */
    private static KeycloakAdminClient decisionAdmin;

    private static double decision(EntraPbxStack stack, Realm r, Random random) {
        String email = anyEmail(r, random);
        if (decisionAdmin == null) {
            decisionAdmin = stack.keycloak().admin();
        }
        KeycloakAdminClient admin = decisionAdmin;
        return timed(() -> admin.send("GET", "/" + r.realm().name() + "/sso-policy/decision?user=" + Browserless.enc(email), null).expect(200));
    }

    private static URI authorize(EntraPbxStack stack, Realm r) {
        return URI.create(stack.keycloak().baseUrl() + "/realms/" + r.realm().name() + "/protocol/openid-connect/auth?client_id="
                + TestRealm.CLIENT_ID + "&response_type=code&scope=openid&redirect_uri=" + Browserless.enc(TestRealm.CLIENT_REDIRECT));
    }

    private static double emailStep(EntraPbxStack stack, Realm r, Random random) {
        Browserless browser = new Browserless(stack.simulator().sslContext());
        Browserless.Page page = browser.get(authorize(stack, r));
        String email = anyEmail(r, random);
        long t = System.nanoTime();
        Browserless.Page answer = browser.submit(page, "username", Map.of("username", email));
        double ms = (System.nanoTime() - t) / 1e6;
        if (!answer.isRedirect()) {
            throw new IllegalStateException("the email step of " + email + " did not send to Microsoft: " + answer.status());
        }
        return ms;
    }

    private static double brokeredLogin(EntraPbxStack stack, Realm r, Random random) {
        Browserless browser = new Browserless(stack.simulator().sslContext());
        String email = "sso@" + r.customers().get(random.nextInt(r.customers().size())).domain();
        long t = System.nanoTime();
        Browserless.Page page = browser.get(authorize(stack, r));
        Browserless.Page atMicrosoft = browser.follow(browser.submit(page, "username", Map.of("username", email)), "\u0000");
        JsonNode tokens = Customer.atMicrosoft(stack, r.realm(), browser, atMicrosoft, email);
        double ms = (System.nanoTime() - t) / 1e6;
        if (tokens.path("access_token").asText().isEmpty()) {
            throw new IllegalStateException("no token for " + email);
        }
        return ms;
    }

    private static double passwordLogin(EntraPbxStack stack, Realm r) {
        Browserless browser = new Browserless(stack.simulator().sslContext());
        long t = System.nanoTime();
        Browserless.Page page = browser.get(authorize(stack, r));
        Browserless.Page password = browser.submit(page, "username", Map.of("username", "local@elsewhere.example"));
        Browserless.Page end = browser.submit(password, "password", Map.of("password", LOCAL_PASSWORD));
        double ms = (System.nanoTime() - t) / 1e6;
        if (!end.isRedirect() || !end.next().toString().startsWith(TestRealm.CLIENT_REDIRECT)) {
            throw new IllegalStateException("password login failed: " + end.status() + " " + end.body());
        }
        return ms;
    }

    /** Used heap after a full GC (jcmd GC.run, then the JVM's heap gauge on /metrics). */
    private static long heapAfterGc(EntraPbxStack stack) throws Exception {
        ProcessHandle jvm = stack.keycloak().process().descendants().filter(p -> p.info().command().orElse("").endsWith("java"))
                .findFirst().orElse(stack.keycloak().process());
        Path jcmd = Path.of(jvm.info().command().orElse("java")).resolveSibling("jcmd");
        new ProcessBuilder(jcmd.toString(), String.valueOf(jvm.pid()), "GC.run").inheritIO().start().waitFor();
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.keycloak().managementUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        long heap = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                heap += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return heap;
    }

    /** CPU time of Keycloak's processes (user + system, from /proc/<pid>/stat, 100 ticks a second). */
    private static long cpuMillis(EntraPbxStack stack) {
        long ticks = 0;
        for (ProcessHandle p : java.util.stream.Stream.concat(java.util.stream.Stream.of(stack.keycloak().process()),
                stack.keycloak().process().descendants()).toList()) {
            try {
                String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
            } catch (java.io.IOException | RuntimeException gone) {
                // the process ended
            }
        }
        return ticks * 10;
    }

    /**
     * Switches every component of the big realm to a changed sync every {@code period} seconds,
     * waits one period and the cycle's runs, and reads the run log: wall time from the first start to
     * the last end, how many ran at once, overlaps of one component, CPU share of Keycloak.
     */
    /** Every component of the big realm gets a changed sync every {@code period} seconds. */
    private static void switchOn(EntraPbxStack stack, Realm big, int period) {
        KeycloakAdminClient admin = stack.keycloak().admin();
        String realm = big.realm().name();
        for (String id : big.syncs()) {
            JsonNode c = admin.get("/" + realm + "/components/" + id);
            @SuppressWarnings("unchecked")
            Map<String, Object> rep = JSON.convertValue(c, Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> config = (Map<String, Object>) rep.get("config");
            config.put("changedSyncPeriod", List.of(String.valueOf(period)));
            admin.send("PUT", "/" + realm + "/components/" + id, rep).expect(204);
        }
    }

    private static String periodicCycle(EntraPbxStack stack, Realm big, int period) throws Exception {
        String realm = big.realm().name();
        long scheduledAt = System.currentTimeMillis(); // the components were scheduled just before: at the switch or the restart
        List<Double> quiet = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            quiet.add(passwordLogin(stack, big));
        }
        long cpu0 = cpuMillis(stack);
        int n = big.syncs().size();
        long deadline = scheduledAt + (period * 2L + 300) * 1000L;
        String sql = "select component_id, started_at, ended_at from " + stack.schema() + ".entrapbx_sync_run where run_trigger = 'changed' and started_at >= "
                + scheduledAt + " and realm_id = (select id from " + stack.schema() + ".realm where name = '" + realm + "')";
        List<long[]> runs = new ArrayList<>();
        java.util.Set<String> components = new java.util.HashSet<>();
        List<Double> during = new ArrayList<>();
        while (System.currentTimeMillis() < deadline) {
            long until = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < until) { // sign-ins go on while the cycle runs
                double ms = passwordLogin(stack, big);
                if (System.currentTimeMillis() - scheduledAt > period * 1000L) {
                    during.add(ms);
                }
                Thread.sleep(200);
            }
            runs.clear();
            components.clear();
            try (Connection c = DriverManager.getConnection(stack.database().url(), stack.database().username(), stack.database().password());
                 Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    long ended = rs.getLong(3);
                    if (!rs.wasNull()) {
                        runs.add(new long[]{rs.getString(1).hashCode(), rs.getLong(2), ended});
                        components.add(rs.getString(1));
                    }
                }
            }
            System.out.printf("[scale] periodic: %d of %d components ran once%n", components.size(), n);
            if (components.size() >= n) {
                break;
            }
        }
        long cpu1 = cpuMillis(stack);
        long first = runs.stream().mapToLong(r -> r[1]).min().orElse(0);
        long last = runs.stream().mapToLong(r -> r[2]).max().orElse(0);
        int maxAtOnce = 0;
        List<long[]> events = new ArrayList<>();
        for (long[] r : runs) {
            events.add(new long[]{r[1], 1});
            events.add(new long[]{r[2], -1});
        }
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int now = 0;
        for (long[] e : events) {
            now += (int) e[1];
            maxAtOnce = Math.max(maxAtOnce, now);
        }
        java.util.Map<Long, List<long[]>> byComponent = new java.util.HashMap<>();
        runs.forEach(r -> byComponent.computeIfAbsent(r[0], k -> new ArrayList<>()).add(r));
        long overlaps = byComponent.values().stream().filter(rs -> {
            rs.sort((a, b) -> Long.compare(a[1], b[1]));
            for (int i = 1; i < rs.size(); i++) {
                if (rs.get(i)[1] < rs.get(i - 1)[2]) {
                    return true;
                }
            }
            return false;
        }).count();
        List<Double> durations = runs.stream().map(r -> (double) (r[2] - r[1])).toList();
        double wallS = (last - first) / 1000.0;
        double windowS = (System.currentTimeMillis() - scheduledAt) / 1000.0;
        return String.format(Locale.ROOT, """

                Periodic changed sync, every component at %d s (all %,d scheduled at once, as after a restart):
                - components that ran: %,d; runs: %,d; the first started %.0f s after scheduling
                - one cycle, first start to last end: %.1f s (goal: inside the %d s period)
                - runs at once, at most: %d; one run: median %.0f ms, p95 %.0f ms
                - components whose runs overlapped: %d
                - Keycloak CPU over the %.0f s observed: %.1f%% of one core (%.1f%% of the machine's %d)
                - a password login meanwhile (one every 0.2 s once the period began): median %.0f ms, p95 %.0f ms; in the
                  first minute, before any run: median %.0f ms, p95 %.0f ms
                """, period, n, components.size(), runs.size(), (first - scheduledAt) / 1000.0, wallS, period, maxAtOnce,
                BrokerLoginBenchmark.percentile(new ArrayList<>(durations), 50), BrokerLoginBenchmark.percentile(new ArrayList<>(durations), 95),
                overlaps, windowS, (cpu1 - cpu0) / 10.0 / windowS, (cpu1 - cpu0) / 10.0 / windowS / Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().availableProcessors(),
                during.isEmpty() ? 0 : BrokerLoginBenchmark.percentile(during, 50), during.isEmpty() ? 0 : BrokerLoginBenchmark.percentile(during, 95),
                BrokerLoginBenchmark.percentile(quiet, 50), BrokerLoginBenchmark.percentile(quiet, 95));
    }
}
