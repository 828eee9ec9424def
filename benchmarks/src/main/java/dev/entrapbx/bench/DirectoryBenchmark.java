package dev.entrapbx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.harness.Database;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.PbxDirectoryClient;
import dev.entrapbx.harness.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The PBX directory read side, with a directory of N synced users (default 100,000), side by side
 * with Keycloak's own admin users API in one run:
 * <ol>
 * <li>the full read: every member by cursor ({@code /pbx/phone-systems/{org}/extensions}, pages of
 * 1,000), against the anchor: Keycloak's admin users API paging the same realm's users with
 * {@code briefRepresentation=false} (pages of 1,000); one round (-Drounds=n for the best of n, alternating), the anchor for at most 10 minutes
 * (-DanchorBudgetSeconds): when it cannot read them all in that time, the users it read are reported;</li>
 * <li>after a changed sync of 100 users: reading the page of 100 changes, 300 times (median, p95;
 * goal p95 &lt; 50 ms);</li>
 * <li>webhook fan-out: 3 webhooks of the phone system on 3 local HTTPS receivers, then a changed
 * sync of 10,000 users ({@code -DwebhookChanges=n}): deliveries per second per receiver, and the
 * lag from the feed row's time (written just before its commit) to its arrival (median, p95).</li>
 * </ol>
 * Results: target/benchmarks/directory.md.
 */
public final class DirectoryBenchmark {

    private static final int PAGE = 1000;
    private static final int CHANGES = 100;
    private static final int FEED_READS = 300;
    private static final int ROUNDS = Integer.getInteger("rounds", 1);

    private DirectoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = 100_000;
        String db = "postgres";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--db" -> db = args[++i];
                default -> n = Integer.parseInt(args[i]);
            }
        }
        Database database = Database.fromName(db, System.getProperty("entrapbx.db.url", "jdbc:postgresql://127.0.0.1:5432/postgres"),
                System.getProperty("entrapbx.db.user", "postgres"), System.getProperty("entrapbx.db.password", ""));
        SyncBenchmark.photos = false;
        try (EntraPbxStack stack = EntraPbxStack.start(EntraPbxStack.config().name("bench-dir").ephemeralPorts().freshData(true)
                .database(database).seedDemo(false)
                .keycloakOption("--spi-pbx-webhooks--default--allow-private-targets=true"))) { // the receivers are on loopback
            KeycloakAdminClient admin = stack.keycloak().admin();
            SyncBenchmark.startAnalyzer(database, "entrapbx_bench_dir");
            SyncBenchmark.BenchCustomer big = SyncBenchmark.BenchCustomer.create(stack, "bench-dir", n);
            long t0 = System.nanoTime();
            JsonNode full = big.sync(true);
            long syncMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("[dir-bench] full sync of %,d users (change feed on): %d ms, %s%n", n, syncMs, full);

            String realm = big.customer().realm().name();
            String org = big.customer().orgAlias();
            PbxDirectoryClient pbx = PbxDirectoryClient.create(admin, stack.keycloak().baseUrl(), realm, "bench-pbx", true, null);

            long[] ours = new long[ROUNDS];
            long[] anchor = new long[ROUNDS];
            int oursCount = 0;
            int anchorCount = 0;
            for (int r = 0; r < ROUNDS; r++) {
                long s = System.nanoTime();
                oursCount = pbx.readAll(org, PAGE, null).size();
                ours[r] = (System.nanoTime() - s) / 1_000_000;
                s = System.nanoTime();
                anchorCount = adminUsers(admin, realm);
                anchor[r] = (System.nanoTime() - s) / 1_000_000;
                System.out.printf("[dir-bench] round %d: full read %,d entries %d ms; admin users API %,d users %d ms%n", r + 1, oursCount,
                        ours[r], anchorCount, anchor[r]);
            }

            List<String> cursor = new ArrayList<>();
            pbx.readAll(org, PAGE, cursor);
            big.change(CHANGES);
            t0 = System.nanoTime();
            big.sync(false);
            long changedMs = (System.nanoTime() - t0) / 1_000_000;
            String token = pbx.token();
            String path = "phone-systems/" + org + "/changes?limit=" + CHANGES + "&after=" + cursor.get(0);
            int changes = pbx.get(path, token).expect(200).json().path("changes").size();
            for (int i = 0; i < 20; i++) {
                pbx.get(path, token).expect(200); // warm-up
            }
            long[] reads = new long[FEED_READS];
            for (int i = 0; i < FEED_READS; i++) {
                long s = System.nanoTime();
                pbx.get(path, token).expect(200);
                reads[i] = (System.nanoTime() - s) / 1_000;
            }
            Arrays.sort(reads);
            FanOut fanOut = fanOut(stack, admin, pbx, big, realm, org, Math.min(n, Integer.getInteger("webhookChanges", 10_000)));
            report(n, database.toString(), stack.settings().keycloakVersion(), syncMs, oursCount, min(ours), anchorCount, min(anchor),
                    changedMs, changes, reads, fanOut);
        }
    }

    /** Deliveries per second (per receiver, from its first to its last arrival) and lag percentiles (ms). */
    record FanOut(int changes, int receivers, double minPerSecond, double maxPerSecond, long lagP50, long lagP95, long lagMax) {
    }

    private static FanOut fanOut(EntraPbxStack stack, KeycloakAdminClient admin, PbxDirectoryClient pbx, SyncBenchmark.BenchCustomer big,
                                 String realm, String org, int changed) throws Exception {
        List<WebhookReceiver> receivers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                WebhookReceiver r = WebhookReceiver.start(stack);
                receivers.add(r);
                admin.send("POST", "/" + realm + "/pbx-directory/webhooks", Map.of("url", r.url("/hook"), "organization", org)).expect(201);
            }
            String before = pbx.get("phone-systems/" + org).expect(200).json().path("changesCursor").asText();
            big.change(changed);
            System.out.printf("[dir-bench] %,d users changed in Entra; changed sync with 3 webhooks ...%n", changed);
            big.sync(false);
            // users disabled in Entra are out of scope: the feed has a row per user the sync really changed
            int count = pbx.changesAfter(org, before, 1000, null).size();
            long deadline = System.currentTimeMillis() + 30 * 60_000L;
            while (receivers.stream().anyMatch(r -> r.acknowledged("/hook").size() < count)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("webhook deliveries incomplete after 30 minutes: "
                            + receivers.stream().map(r -> r.acknowledged("/hook").size()).toList());
                }
                Thread.sleep(500); // polling the receivers for the last delivery
            }
            double minRate = Double.MAX_VALUE;
            double maxRate = 0;
            List<Long> lags = new ArrayList<>();
            for (WebhookReceiver r : receivers) {
                List<WebhookReceiver.Delivery> got = r.acknowledged("/hook");
                long span = Math.max(1, got.get(got.size() - 1).receivedAtMillis() - got.get(0).receivedAtMillis());
                double rate = got.size() * 1000.0 / span;
                minRate = Math.min(minRate, rate);
                maxRate = Math.max(maxRate, rate);
                for (WebhookReceiver.Delivery d : got) {
                    lags.add(d.receivedAtMillis() - Instant.parse(d.json().path("data").path("at").asText()).toEpochMilli());
                }
            }
            lags.sort(null);
            return new FanOut(count, receivers.size(), minRate, maxRate, lags.get(lags.size() / 2),
                    lags.get((int) Math.ceil(lags.size() * 0.95) - 1), lags.get(lags.size() - 1));
        } finally {
            receivers.forEach(WebhookReceiver::close);
        }
    }

    /**
     * Pages through the realm's users with Keycloak's admin API as a PBX backend without entra-pbx
     * would, for at most the time budget ({@code -DanchorBudgetSeconds}, default 600): returns the
     * users read (fewer than all when the budget ran out).
     */
    private static int adminUsers(KeycloakAdminClient admin, String realm) {
        long until = System.nanoTime() + Long.getLong("anchorBudgetSeconds", 600) * 1_000_000_000L;
        int count = 0;
        for (int first = 0; ; first += PAGE) {
            JsonNode page = admin.get("/" + realm + "/users?briefRepresentation=false&first=" + first + "&max=" + PAGE);
            count += page.size();
            if (page.size() < PAGE || System.nanoTime() > until) {
                return count;
            }
        }
    }

    private static long min(long[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    private static void report(int n, String db, String kc, long syncMs, int ours, long oursMs, int anchor, long anchorMs, long changedMs,
                               int changes, long[] readsMicros, FanOut fan) throws Exception {
        double p50 = readsMicros[readsMicros.length / 2] / 1000.0;
        double p95 = readsMicros[(int) Math.ceil(readsMicros.length * 0.95) - 1] / 1000.0;
        StringBuilder md = new StringBuilder();
        md.append("| Date | Users | DB | Keycloak | full sync with feed (s) | full read: pbx extensions (s) | anchor: admin users API (s) "
                + "| ratio anchor/ours (time per user) | changed sync of 100 (ms) | page of 100 changes: median / p95 (ms) |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        // ratio of the time per user read, so that an anchor stopped by its budget still compares
        double ratio = (anchorMs / (double) Math.max(1, anchor)) / (oursMs / (double) Math.max(1, ours));
        md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %.1f | %.2f (%,d entries) | %.2f (%,d users%s) | %.1fx | %d | %.1f / %.1f (%d changes) |%n",
                LocalDate.now(), n, db, kc, syncMs / 1000.0, oursMs / 1000.0, ours, anchorMs / 1000.0, anchor,
                anchor < ours ? ", stopped by its time budget" : "", ratio, changedMs, p50, p95, changes));
        md.append("\n| webhook fan-out: changes x receivers | deliveries/s per receiver (min-max) | lag row -> arrival: median / p95 / max (ms) |\n");
        md.append("|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| %,d x %d | %.0f-%.0f | %d / %d / %d |%n", fan.changes(), fan.receivers(), fan.minPerSecond(),
                fan.maxPerSecond(), fan.lagP50(), fan.lagP95(), fan.lagMax()));
        Path out = Path.of("target", "benchmarks", "directory.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println(md);
        System.out.println("Written to " + out.toAbsolutePath());
    }
}
