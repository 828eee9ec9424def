package dev.entrapbx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.harness.Database;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.PbxDirectoryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The PBX directory read side, with a directory of N synced users (default 100,000), side by side
 * with Keycloak's own admin users API in one run:
 * <ol>
 * <li>the full read: every member by cursor ({@code /pbx/phone-systems/{org}/extensions}, pages of
 * 1,000), against the anchor: Keycloak's admin users API paging the same realm's users with
 * {@code briefRepresentation=false} (pages of 1,000); best of 2 each (-Drounds=n), alternating;</li>
 * <li>after a changed sync of 100 users: reading the page of 100 changes, 300 times (median, p95;
 * goal p95 &lt; 50 ms).</li>
 * </ol>
 * Results: target/benchmarks/directory.md.
 */
public final class DirectoryBenchmark {

    private static final int PAGE = 1000;
    private static final int CHANGES = 100;
    private static final int FEED_READS = 300;
    private static final int ROUNDS = Integer.getInteger("rounds", 2);

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
                .database(database).seedDemo(false))) {
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
            report(n, database.toString(), stack.settings().keycloakVersion(), syncMs, oursCount, min(ours), anchorCount, min(anchor),
                    changedMs, changes, reads);
        }
    }

    /** Pages through the realm's users with Keycloak's admin API as a PBX backend without entra-pbx would. */
    private static int adminUsers(KeycloakAdminClient admin, String realm) {
        int count = 0;
        for (int first = 0; ; first += PAGE) {
            JsonNode page = admin.get("/" + realm + "/users?briefRepresentation=false&first=" + first + "&max=" + PAGE);
            count += page.size();
            if (page.size() < PAGE) {
                return count;
            }
        }
    }

    private static long min(long[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    private static void report(int n, String db, String kc, long syncMs, int ours, long oursMs, int anchor, long anchorMs, long changedMs,
                               int changes, long[] readsMicros) throws Exception {
        double p50 = readsMicros[readsMicros.length / 2] / 1000.0;
        double p95 = readsMicros[(int) Math.ceil(readsMicros.length * 0.95) - 1] / 1000.0;
        StringBuilder md = new StringBuilder();
        md.append("| Date | Users | DB | Keycloak | full sync with feed (s) | full read: pbx extensions (s) | anchor: admin users API (s) "
                + "| ratio anchor/ours | changed sync of 100 (ms) | page of 100 changes: median / p95 (ms) |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %.1f | %.2f (%,d entries) | %.2f (%,d users) | %.1fx | %d | %.1f / %.1f (%d changes) |%n",
                LocalDate.now(), n, db, kc, syncMs / 1000.0, oursMs / 1000.0, ours, anchorMs / 1000.0, anchor,
                anchorMs / (double) Math.max(1, oursMs), changedMs, p50, p95, changes));
        Path out = Path.of("target", "benchmarks", "directory.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println(md);
        System.out.println("Written to " + out.toAbsolutePath());
    }
}
