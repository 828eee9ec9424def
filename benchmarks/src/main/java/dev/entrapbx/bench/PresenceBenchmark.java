package dev.entrapbx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.Database;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.PbxDirectoryClient;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.harness.WebhookReceiver;
import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.simulator.notifications.Subscription;
import dev.entrapbx.simulator.presence.PresenceState;
import dev.entrapbx.simulator.presence.PresenceStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Teams presence and Entra change notifications, in one run on one Keycloak:
 *
 * <ol>
 * <li><b>Teams to PBX</b>: a phone system of U users (default 10,000) with Teams presence polled every
 *     {@code -DintervalSeconds} (30). After the first poll has stored everyone's presence, a webhook of
 *     the phone system on a local HTTPS receiver, then {@code -DchangesPerSecond} (10) presence changes in
 *     Teams for {@code -DteamsSeconds} (150), each a user not changed before, to a state it did not show:
 *     the lag from the change in the simulator to the webhook delivery of that user's
 *     {@code presence.changed} with that state (median, p95, max), against the interval (the anchor:
 *     a poll can only see a change at its next round); Graph presence requests per minute (simulator
 *     counters) against what reading every user's presence one by one each interval would cost;
 *     {@code GET .../presence} answer time for all users.</li>
 * <li><b>PBX to Teams</b>: {@code -DpbxCalls} (1,000) members go {@code in-call} through
 *     {@code POST .../presence/{userId}} from 8 threads, then {@code idle}: the POST's answer time, the lag
 *     until the simulator's presence shows {@code Busy/InACall} (and again until it is cleared), and the
 *     users per second that reach Teams; then the same with 20% of {@code setPresence} calls answered 429
 *     {@code Retry-After: 1}.</li>
 * <li><b>Entra user changes</b>: two phone systems of {@code -DnotifyUsers} (1,000) users, each with a
 *     periodic changed sync every 5 minutes (the anchor: how Keycloak's user federation learns of changes);
 *     one also with Graph change notifications. {@code -DuserChanges} (10) job-title changes at random times
 *     over 5 minutes, each made in both tenants at once: the lag until Keycloak has the new title.</li>
 * </ol>
 *
 * <p>Usage: {@code java [-D...] -cp benchmarks/target/entra-pbx-benchmarks.jar dev.entrapbx.bench.PresenceBenchmark
 * [users, default 10000] [--db postgres|h2]}. Results: target/benchmarks/presence.md.
 */
public final class PresenceBenchmark {

    private static final List<String> PERMISSIONS = List.of("User.Read.All", "GroupMember.Read.All", "Domain.Read.All", "Presence.Read.All",
            "Presence.ReadWrite.All");
    /** Teams states the changes move between (what a Teams client shows). */
    private static final String[][] STATES = {{"Available", "Available"}, {"Busy", "InAMeeting"}, {"Busy", "InACall"},
        {"DoNotDisturb", "Presenting"}, {"Away", "Away"}, {"BeRightBack", "BeRightBack"}};
    private static final int PBX_THREADS = 8;
    private static final Duration PERIOD = Duration.ofMinutes(5);

    private PresenceBenchmark() {
    }

    /** Median, p95, max in ms of the samples, and how many of how many expected. */
    record Stats(int n, int expected, double p50, double p95, double max) {
        static Stats of(List<Long> millis, int expected) {
            if (millis.isEmpty()) {
                return new Stats(0, expected, Double.NaN, Double.NaN, Double.NaN);
            }
            long[] v = millis.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Stats(v.length, expected, v[v.length / 2], v[(int) Math.ceil(v.length * 0.95) - 1], v[v.length - 1]);
        }

        String seconds() {
            return String.format(Locale.ROOT, "median %.1f s, p95 %.1f s, max %.1f s (%d of %d)", p50 / 1000, p95 / 1000, max / 1000, n, expected);
        }

        String millis() {
            return String.format(Locale.ROOT, "median %.0f ms, p95 %.0f ms, max %.0f ms (%d of %d)", p50, p95, max, n, expected);
        }
    }

    record TeamsToPbx(int interval, double rate, int seconds, Stats lag, long presenceRequests, double minutes, Stats getPresence, int users) {
    }

    record PbxToTeams(String label, int calls, Stats post, Stats shown, Stats cleared, double usersPerSecond, long throttled, long graphCalls) {
    }

    record UserChanges(int users, int changes, Stats notified, Stats periodic, long subscriptionRequests) {
    }

    public static void main(String[] args) throws Exception {
        int users = 10_000;
        String db = "postgres";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--db" -> db = args[++i];
                default -> users = Integer.parseInt(args[i]);
            }
        }
        int interval = Integer.getInteger("intervalSeconds", 30);
        double rate = Double.parseDouble(System.getProperty("changesPerSecond", "10"));
        int teamsSeconds = Integer.getInteger("teamsSeconds", 150);
        int pbxCalls = Integer.getInteger("pbxCalls", 1000);
        int notifyUsers = Integer.getInteger("notifyUsers", 1000);
        int userChanges = Integer.getInteger("userChanges", 10);
        Database database = Database.fromName(db, System.getProperty("entrapbx.db.url", "jdbc:postgresql://127.0.0.1:5432/postgres"),
                System.getProperty("entrapbx.db.user", "postgres"), System.getProperty("entrapbx.db.password", ""));
        try (EntraPbxStack stack = EntraPbxStack.start(EntraPbxStack.config().name("bench-presence").ephemeralPorts().freshData(true)
                .database(database).seedDemo(false)
                .keycloakOption("--spi-pbx-webhooks--default--allow-private-targets=true")); // the receiver is on loopback
             WebhookReceiver receiver = WebhookReceiver.start(stack)) {
            SyncBenchmark.startAnalyzer(database, stack.schema(), List.of("entrapbx_presence", "entrapbx_pbx_state", "entrapbx_dir_change"));
            KeycloakAdminClient admin = stack.keycloak().admin();
            TestRealm realm = TestRealm.create(admin, "bench-presence");
            Customer c = Customer.in(stack, realm, "bench-presence").permissions(PERMISSIONS).create();
            c.directory().generateUsers(c.tenantId(), users, c.domain(), "u");
            String sync = c.createSync("bench-presence-sync", Map.of("extensionRange", "100000-999999", "guardMaxUsers", "0",
                    "guardMaxPercent", "0", "syncPhotos", "false", "presence", "true", "presenceIntervalSeconds", String.valueOf(interval),
                    "presenceFromPbx", "true"));
            long t0 = System.nanoTime();
            JsonNode full = c.trySync(sync, true, Duration.ofHours(1)).expect(200).json();
            System.out.printf("[presence-bench] full sync of %,d users: %d ms, %s%n", users, (System.nanoTime() - t0) / 1_000_000, full);
            PbxDirectoryClient pbx = PbxDirectoryClient.create(admin, stack.keycloak().baseUrl(), realm.name(), "bench-pbx", true, null);
            Members members = Members.of(c, pbx);

            TeamsToPbx teams = teamsToPbx(stack, c, pbx, receiver, members, interval, rate, teamsSeconds);
            List<PbxToTeams> calls = new ArrayList<>();
            calls.add(pbxToTeams(stack, c, pbx, members, "no faults", members.ordered.subList(0, Math.min(pbxCalls, members.ordered.size()))));
            FaultRule throttle = stack.simulator().faults().add(FaultRule.on("POST", ".*/presence/setPresence").probability(0.2, 2026)
                    .untilCleared().throttle(1));
            int end = Math.min(2 * pbxCalls, members.ordered.size());
            calls.add(pbxToTeams(stack, c, pbx, members, "20% of setPresence answered 429, Retry-After 1 s",
                    members.ordered.subList(Math.min(pbxCalls, end), end)));
            System.out.printf("[presence-bench] throttle fault fired %d times%n", throttle.fired());
            stack.simulator().faults().clear();

            UserChanges changes = userChanges(stack, admin, notifyUsers, userChanges);
            report(users, database.toString(), stack.settings().keycloakVersion(), teams, calls, changes);
        }
    }

    /** The members of the phone system: Entra object id by Keycloak id and back, in a stable order. */
    record Members(Map<String, String> oidByKc, Map<String, String> kcByOid, List<String> ordered) {
        /** From the directory's full read (Keycloak's organization members API takes minutes for 10,000 members: isManagedMember per member). */
        static Members of(Customer c, PbxDirectoryClient pbx) {
            Map<String, String> oidByKc = new LinkedHashMap<>();
            Map<String, String> kcByOid = new HashMap<>();
            for (JsonNode m : pbx.readAll(c.orgAlias(), 1000, null)) {
                String oid = m.path("entraObjectId").asText(null);
                if (oid != null && m.path("enabled").asBoolean()) {
                    oidByKc.put(m.path("id").asText(), oid);
                    kcByOid.put(oid, m.path("id").asText());
                }
            }
            return new Members(oidByKc, kcByOid, List.copyOf(oidByKc.keySet()));
        }
    }

    // ------------------------------------------------------------------ 1. Teams to PBX

    static TeamsToPbx teamsToPbx(EntraPbxStack stack, Customer c, PbxDirectoryClient pbx, WebhookReceiver receiver, Members members,
                                 int interval, double rate, int seconds) throws Exception {
        String presencePath = "phone-systems/" + c.orgAlias() + "/presence";
        long t0 = System.nanoTime();
        while (pbx.get(presencePath).expect(200).json().path("presence").size() < members.ordered.size()) {
            if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(10)) {
                throw new IllegalStateException("the first poll did not store every member's presence within 10 minutes");
            }
            Thread.sleep(1000); // waiting for the first poll to store everyone
        }
        System.out.printf("[presence-bench] first poll stored %,d members' presence after %d s%n", members.ordered.size(),
                (System.nanoTime() - t0) / 1_000_000_000);
        stack.keycloak().admin().send("POST", "/" + c.realm().name() + "/pbx-directory/webhooks", Map.of("url", receiver.url("/presence"),
                "organization", c.orgAlias())).expect(201);
        Thread.sleep(2000L * interval); // two polls with no changes: the webhook is level with the feed

        PresenceStore sim = stack.simulator().presence();
        SplittableRandom random = new SplittableRandom(17);
        List<String> pool = new ArrayList<>(members.ordered);
        java.util.Collections.shuffle(pool, new java.util.Random(17));
        Map<String, long[]> changedAt = new ConcurrentHashMap<>(); // kc user id -> {time millis}
        Map<String, String> expected = new ConcurrentHashMap<>(); // kc user id -> availability/activity
        stack.simulator().requests().resetCounts();
        long start = System.currentTimeMillis();
        int total = (int) Math.min(pool.size(), Math.round(rate * seconds));
        for (int i = 0; i < total; i++) {
            long due = start + Math.round(i * 1000 / rate);
            long wait = due - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait); // the change rate
            }
            String kc = pool.get(i);
            String oid = members.oidByKc.get(kc);
            PresenceState now = sim.shown(c.tenantId(), oid);
            String[] s;
            do {
                s = STATES[random.nextInt(STATES.length)];
            } while (now != null && s[0].equals(now.availability()) && s[1].equals(now.activity()));
            expected.put(kc, s[0] + "/" + s[1]);
            changedAt.put(kc, new long[] {System.currentTimeMillis()});
            sim.setOwn(c.tenantId(), oid, new PresenceState(s[0], s[1], null, false), false);
        }
        long changesEnd = System.currentTimeMillis();
        Map<String, Long> lag = new HashMap<>();
        long deadline = changesEnd + 3L * interval * 1000 + 60_000;
        while (lag.size() < total && System.currentTimeMillis() < deadline) {
            for (WebhookReceiver.Delivery d : receiver.acknowledged("/presence")) {
                JsonNode row = d.json().path("data");
                String kc = row.path("userId").asText();
                if (!"presence.changed".equals(row.path("type").asText()) || lag.containsKey(kc) || !changedAt.containsKey(kc)) {
                    continue;
                }
                JsonNode p = row.path("presence");
                if ((p.path("availability").asText() + "/" + p.path("activity").asText()).equals(expected.get(kc))) {
                    lag.put(kc, d.receivedAtMillis() - changedAt.get(kc)[0]);
                }
            }
            Thread.sleep(500); // collecting deliveries
        }
        double minutes = (System.currentTimeMillis() - start) / 60_000.0;
        long presenceRequests = stack.simulator().requests().counts().getOrDefault("presence", 0L);
        String token = pbx.token();
        List<Long> gets = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            long s = System.nanoTime();
            pbx.get(presencePath, token).expect(200);
            if (i >= 5) {
                gets.add((System.nanoTime() - s) / 1_000_000);
            }
        }
        TeamsToPbx r = new TeamsToPbx(interval, rate, seconds, Stats.of(new ArrayList<>(lag.values()), total), presenceRequests, minutes,
                Stats.of(gets, 20), members.ordered.size());
        System.out.printf("[presence-bench] Teams -> PBX webhook lag: %s; Graph presence requests %d in %.1f min; GET presence %s%n",
                r.lag().seconds(), presenceRequests, minutes, r.getPresence().millis());
        return r;
    }

    // ------------------------------------------------------------------ 2. PBX to Teams

    static PbxToTeams pbxToTeams(EntraPbxStack stack, Customer c, PbxDirectoryClient pbx, Members members, String label, List<String> kcIds)
            throws Exception {
        PresenceStore sim = stack.simulator().presence();
        for (String kc : kcIds) {
            sim.setOwn(c.tenantId(), members.oidByKc.get(kc), new PresenceState("Available", "Available", null, false), false);
        }
        Map<String, Long> shownAt = new ConcurrentHashMap<>();
        Map<String, Long> clearedAt = new ConcurrentHashMap<>();
        PresenceStore.Listener listener = (tenant, oid, shown) -> {
            String kc = members.kcByOid.get(oid);
            if (!c.tenantId().equals(tenant) || kc == null || shown == null) {
                return;
            }
            if ("InACall".equals(shown.activity())) {
                shownAt.putIfAbsent(kc, System.currentTimeMillis());
            } else if (shownAt.containsKey(kc)) {
                clearedAt.putIfAbsent(kc, System.currentTimeMillis());
            }
        };
        sim.addListener(listener);
        stack.simulator().requests().resetCounts();
        long throttledBefore = stack.simulator().faults().rules().stream().mapToLong(FaultRule::fired).sum();
        Map<String, Long> postedAt = new ConcurrentHashMap<>();
        List<Long> postMillis = java.util.Collections.synchronizedList(new ArrayList<>());
        Token token = new Token(pbx);
        long start = System.currentTimeMillis();
        post(pbx, c, kcIds, "in-call", token, postedAt, postMillis);
        waitFor(() -> shownAt.size() >= kcIds.size(), Duration.ofMinutes(5));
        long lastShown = shownAt.values().stream().mapToLong(Long::longValue).max().orElse(start);
        Map<String, Long> idleAt = new ConcurrentHashMap<>();
        post(pbx, c, kcIds, "idle", token, idleAt, postMillis);
        waitFor(() -> clearedAt.size() >= kcIds.size(), Duration.ofMinutes(5));
        List<Long> shown = new ArrayList<>();
        List<Long> cleared = new ArrayList<>();
        for (String kc : kcIds) {
            if (shownAt.containsKey(kc)) {
                shown.add(shownAt.get(kc) - postedAt.get(kc));
            }
            if (clearedAt.containsKey(kc) && idleAt.containsKey(kc)) {
                cleared.add(Math.max(0, clearedAt.get(kc) - idleAt.get(kc)));
            }
        }
        long throttled = stack.simulator().faults().rules().stream().mapToLong(FaultRule::fired).sum() - throttledBefore;
        Map<String, Long> counts = stack.simulator().requests().counts();
        long graphCalls = counts.getOrDefault("setPresence", 0L) + counts.getOrDefault("clearPresence", 0L);
        PbxToTeams r = new PbxToTeams(label, kcIds.size(), Stats.of(postMillis, 2 * kcIds.size()), Stats.of(shown, kcIds.size()),
                Stats.of(cleared, kcIds.size()), shownAt.size() * 1000.0 / Math.max(1, lastShown - start), throttled, graphCalls);
        System.out.printf("[presence-bench] PBX -> Teams (%s): POST %s; shown %s; cleared %s; %.0f users/s; 429 %d; Graph %d%n", label,
                r.post().millis(), r.shown().millis(), r.cleared().millis(), r.usersPerSecond(), throttled, graphCalls);
        return r;
    }

    /** The service account's token, fetched again when it is 30 s old (test realms keep tokens short). */
    static final class Token {
        private final PbxDirectoryClient pbx;
        private String value;
        private long at;

        Token(PbxDirectoryClient pbx) {
            this.pbx = pbx;
        }

        synchronized String get() {
            if (value == null || System.currentTimeMillis() - at > 30_000) {
                value = pbx.token();
                at = System.currentTimeMillis();
            }
            return value;
        }
    }

    private static void post(PbxDirectoryClient pbx, Customer c, List<String> kcIds, String state, Token token, Map<String, Long> at,
                             List<Long> postMillis) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PBX_THREADS);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (String kc : kcIds) {
                all.add(pool.submit(() -> {
                    String t = token.get();
                    long s = System.nanoTime();
                    at.put(kc, System.currentTimeMillis());
                    KeycloakAdminClient.Response r = pbx.post("phone-systems/" + c.orgAlias() + "/presence/" + kc,
                            "{\"state\":\"" + state + "\",\"at\":\"" + Instant.now() + "\"}", t);
                    postMillis.add((System.nanoTime() - s) / 1_000_000);
                    if (r.status() != 202) {
                        throw new IllegalStateException("POST presence " + state + " for " + kc + ": " + r.status() + " " + r.body());
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier done, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling the simulator's presence for the pushes
        }
    }

    // ------------------------------------------------------------------ 3. Entra user changes

    static UserChanges userChanges(EntraPbxStack stack, KeycloakAdminClient admin, int users, int changes) throws Exception {
        TestRealm realm = TestRealm.create(admin, "bench-notify");
        String period = String.valueOf(PERIOD.toSeconds());
        Customer notified = Customer.in(stack, realm, "notified").permissions(Customer.SYNC_PERMISSIONS).create();
        Customer periodic = Customer.in(stack, realm, "periodic").permissions(Customer.SYNC_PERMISSIONS).create();
        notified.directory().generateUsers(notified.tenantId(), users, notified.domain(), "u");
        periodic.directory().generateUsers(periodic.tenantId(), users, periodic.domain(), "u");
        Map<String, String> base = Map.of("extensionRange", "100000-999999", "syncPhotos", "false", "changedSyncPeriod", period);
        Map<String, String> withNotifications = new HashMap<>(base);
        withNotifications.putAll(Map.of("userChangeNotifications", "true", "notificationUrl", stack.keycloak().baseUrl()));
        String a = notified.createSync("notified-sync", withNotifications);
        String b = periodic.createSync("periodic-sync", base);
        notified.trySync(a, true, Duration.ofMinutes(10)).expect(200);
        periodic.trySync(b, true, Duration.ofMinutes(10)).expect(200);
        waitFor(() -> stack.simulator().notifications().list().stream()
                .anyMatch(s -> s.tenantId().equals(notified.tenantId()) && s.kind() == Subscription.Kind.USERS), Duration.ofMinutes(2));
        System.out.printf("[presence-bench] user changes: subscription %s%n", stack.simulator().notifications().list().stream()
                .filter(s -> s.tenantId().equals(notified.tenantId())).findFirst().map(Subscription::id).orElse("MISSING"));
        stack.simulator().requests().resetCounts();

        SplittableRandom random = new SplittableRandom(5);
        long[] offsets = new long[changes];
        for (int i = 0; i < changes; i++) {
            offsets[i] = random.nextLong(PERIOD.toMillis());
        }
        Arrays.sort(offsets);
        List<User> na = notified.directory().users(notified.tenantId()).stream().filter(User::accountEnabled).toList();
        List<User> pa = periodic.directory().users(periodic.tenantId()).stream().filter(User::accountEnabled).toList();
        record Pending(Customer customer, String upn, String title, long at) {
        }
        List<Pending> pending = new ArrayList<>();
        Map<Pending, Long> seen = new HashMap<>();
        long start = System.currentTimeMillis();
        int next = 0;
        long deadline = start + PERIOD.toMillis() * 2 + 120_000;
        while ((next < changes || seen.size() < pending.size()) && System.currentTimeMillis() < deadline) {
            while (next < changes && System.currentTimeMillis() - start >= offsets[next]) {
                String title = "Title " + next + " " + System.nanoTime();
                User u1 = na.get(next * 37 % na.size());
                User u2 = pa.get(next * 37 % pa.size());
                long now = System.currentTimeMillis();
                notified.directory().patchUser(notified.tenantId(), u1.id(), Map.of("jobTitle", title));
                periodic.directory().patchUser(periodic.tenantId(), u2.id(), Map.of("jobTitle", title));
                pending.add(new Pending(notified, u1.userPrincipalName().toLowerCase(Locale.ROOT), title, now));
                pending.add(new Pending(periodic, u2.userPrincipalName().toLowerCase(Locale.ROOT), title, now));
                next++;
            }
            for (Pending p : pending) {
                if (!seen.containsKey(p) && p.title().equals(Customer.attr(p.customer().user(p.upn()), "jobTitle"))) {
                    seen.put(p, System.currentTimeMillis() - p.at());
                }
            }
            Thread.sleep(250); // polling Keycloak for the new titles
        }
        Predicate<Pending> isNotified = p -> p.customer() == notified;
        List<Long> fast = new ArrayList<>();
        List<Long> slow = new ArrayList<>();
        seen.forEach((p, lag) -> (isNotified.test(p) ? fast : slow).add(lag));
        UserChanges r = new UserChanges(users, changes, Stats.of(fast, changes), Stats.of(slow, changes),
                stack.simulator().requests().counts().getOrDefault("subscriptions", 0L));
        System.out.printf("[presence-bench] user change -> Keycloak: notifications %s; periodic %s%n", r.notified().seconds(),
                r.periodic().seconds());
        return r;
    }

    // ------------------------------------------------------------------ report

    private static void report(int users, String db, String kc, TeamsToPbx t, List<PbxToTeams> calls, UserChanges u) throws Exception {
        double perUserPerMinute = t.users() * 60.0 / t.interval();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "# Presence benchmark%n%n%s, %s, Keycloak %s, %,d users, %d cores%n%n", Instant.now(), db, kc, users,
                Runtime.getRuntime().availableProcessors()));
        md.append("| Measure | entra-pbx | anchor | ratio |\n|---|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| Teams change -> webhook `presence.changed` (%,d members, %.0f changes/s for %d s, interval %d s) | %s | "
                        + "the interval: a poll sees a change at its next round (mean %.1f s, at most %d s) | median / half interval %.2f |%n",
                t.users(), t.rate(), t.seconds(), t.interval(), t.lag().seconds(), t.interval() / 2.0, t.interval(),
                t.lag().p50() / 1000 / (t.interval() / 2.0)));
        md.append(String.format(Locale.ROOT, "| Graph presence requests | %d in %.1f min = **%.1f/min** | one `GET /users/{id}/presence` per member "
                        + "per interval: %,.0f/min (computed) | %.4f |%n", t.presenceRequests(), t.minutes(), t.presenceRequests() / t.minutes(),
                perUserPerMinute, t.presenceRequests() / t.minutes() / perUserPerMinute));
        md.append(String.format(Locale.ROOT, "| `GET .../presence`, %,d members | %s | - | - |%n", t.users(), t.getPresence().millis()));
        for (PbxToTeams p : calls) {
            md.append(String.format(Locale.ROOT, "| PBX -> Teams, %,d members (%s): POST answer | %s | - | - |%n", p.calls(), p.label(), p.post().millis()));
            md.append(String.format(Locale.ROOT, "| (same) POST `in-call` -> Teams shows Busy/InACall | %s; %.0f members/s; %d answered 429; "
                    + "%d Graph calls | - | - |%n", p.shown().millis(), p.usersPerSecond(), p.throttled(), p.graphCalls()));
            md.append(String.format(Locale.ROOT, "| (same) POST `idle` -> cleared in Teams | %s | - | - |%n", p.cleared().millis()));
        }
        md.append(String.format(Locale.ROOT, "| Entra user change -> Keycloak (%,d users, %d changes over 5 min) | notifications: %s | periodic "
                        + "changed sync every 5 min: %s | median %.3f |%n", u.users(), u.changes(), u.notified().seconds(), u.periodic().seconds(),
                u.notified().p50() / u.periodic().p50()));
        md.append(String.format(Locale.ROOT, "| Graph subscription requests during those 5 min | %d | 0 | - |%n", u.subscriptionRequests()));
        Path out = Path.of("target/benchmarks/presence.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println(md);
        System.out.println("Written to " + out.toAbsolutePath());
    }
}
