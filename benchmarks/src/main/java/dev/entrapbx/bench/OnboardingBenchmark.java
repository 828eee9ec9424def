package dev.entrapbx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.harness.Browserless;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.Database;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.Partner;
import dev.entrapbx.harness.TestRealm;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Customer onboarding: from the moment Microsoft's admin-consent answer reaches Keycloak to the
 * first of the customer's people signed in through Microsoft, and to the first full sync of all its
 * people finished (each with an extension), for a customer of N users (default 1,000; goal: the
 * first sign-in under 60 s). Rounds (default 3) onboard fresh customers one after another in one
 * realm. The manual anchor (admin steps and fields typed without onboarding) is counted in
 * benchmarks/README.md. Usage: {@code java -cp benchmarks/target/entra-pbx-benchmarks.jar
 * dev.entrapbx.bench.OnboardingBenchmark [users] [--rounds n] [--db postgres|h2]}. Results:
 * target/benchmarks/onboarding.md.
 */
public final class OnboardingBenchmark {

    record Round(int users, long returnMillis, long firstSignInMillis, long syncedMillis, int synced, int extensions) {
    }

    public static void main(String[] args) throws Exception {
        int n = 1000;
        int rounds = 3;
        String db = "postgres";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--db" -> db = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> n = Integer.parseInt(args[i]);
            }
        }
        Database database = Database.fromName(db, System.getProperty("entrapbx.db.url", "jdbc:postgresql://127.0.0.1:5432/postgres"),
                System.getProperty("entrapbx.db.user", "postgres"), System.getProperty("entrapbx.db.password", ""));
        List<Round> results = new ArrayList<>();
        try (EntraPbxStack stack = EntraPbxStack.start(EntraPbxStack.config().name("bench-onboarding").ephemeralPorts().freshData(true)
                .database(database).seedDemo(false))) {
            KeycloakAdminClient admin = stack.keycloak().admin();
            TestRealm realm = TestRealm.create(admin, "bench-onboarding");
            admin.send("PUT", "/" + realm.name(), Map.of("loginTheme", "entra-pbx")).expect(204);
            Partner partner = Partner.create(stack, realm, "Bench Cloud PBX", Map.of());
            onboard(stack, realm, partner, "warm-up", 50); // first use of every code path
            for (int r = 1; r <= rounds; r++) {
                Round round = onboard(stack, realm, partner, "customer" + r, n);
                results.add(round);
                System.out.printf("[onboarding-bench] round %d: return answered in %d ms, first sign-in after %d ms, %d people synced "
                        + "with %d extensions after %d ms%n", r, round.returnMillis(), round.firstSignInMillis(), round.synced(),
                        round.extensions(), round.syncedMillis());
            }
        }
        String table = report(n, database.toString(), results);
        System.out.println(table);
        Path out = Path.of("target/benchmarks/onboarding.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
    }

    /** One customer of {@code users} people: invitation, consent, and the clock from Microsoft's answer on. */
    static Round onboard(EntraPbxStack stack, TestRealm realm, Partner partner, String name, int users) {
        String domain = name + "-" + System.nanoTime() % 100000 + ".bench.example";
        Partner.customerTenant(stack, name, domain, users);
        JsonNode inv = partner.invite(name, domain, "10000-99999");
        Browserless browser = new Browserless(stack.simulator().sslContext());
        Browserless.Page answer = partner.toMicrosoftsAnswer(browser, inv.path("link").asText(), "admin@" + domain, true);
        if (!answer.isRedirect()) {
            throw new IllegalStateException("Microsoft's consent page did not send the browser back: " + answer.body());
        }
        long t0 = System.nanoTime();
        Browserless.Page back = browser.get(answer.next()); // the consent's return: checks, IdP, sync, first run started
        long returned = System.nanoTime();
        if (!back.isRedirect() || !back.next().getPath().endsWith("/welcome")) {
            throw new IllegalStateException("the return did not link the customer: " + back.status() + " " + back.body());
        }
        KeycloakAdminClient admin = realm.admin();
        JsonNode linked = admin.get("/" + realm.name() + "/entra-onboarding/invitations/" + inv.path("id").asText());
        String idp = linked.path("identityProvider").asText();
        long signedIn = -1;
        for (int attempt = 0; attempt < 600 && signedIn < 0; attempt++) {
            try {
                Customer.signInThroughMicrosoft(stack, realm, idp, "admin@" + domain);
                signedIn = System.nanoTime();
            } catch (IllegalStateException e) {
                sleep(100);
            }
        }
        String runId = linked.path("firstRun").asText();
        String sync = linked.path("userSync").asText();
        long synced = -1;
        JsonNode run = null;
        for (int attempt = 0; attempt < 6000 && synced < 0; attempt++) {
            run = admin.get("/" + realm.name() + "/entra-sync/" + sync + "/runs/" + runId);
            if (!"RUNNING".equals(run.path("status").asText())) {
                synced = System.nanoTime();
            } else {
                sleep(100);
            }
        }
        Map<String, JsonNode> members = Customer.existing(stack, realm, linked.path("organizationAlias").asText()).members();
        int extensions = Customer.extensions(members).size();
        if (run == null || !"SUCCESS".equals(run.path("status").asText())) {
            throw new IllegalStateException("the first sync did not succeed: " + run);
        }
        return new Round(users, millis(t0, returned), millis(t0, signedIn), millis(t0, synced), members.size(), extensions);
    }

    static String report(int n, String database, List<Round> rounds) {
        StringBuilder b = new StringBuilder();
        b.append("| Round | Users | Return answered (ms) | First sign-in (ms) | First full sync done (ms) | People synced | Extensions |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < rounds.size(); i++) {
            Round r = rounds.get(i);
            b.append(String.format("| %d | %,d | %d | %d | %d | %,d | %,d |%n", i + 1, r.users(), r.returnMillis(), r.firstSignInMillis(),
                    r.syncedMillis(), r.synced(), r.extensions()));
        }
        b.append(String.format("%nDatabase: %s. Times from the moment Microsoft's consent answer reaches Keycloak.%n", database));
        return b.toString();
    }

    private static long millis(long from, long to) {
        return to < 0 ? -1 : (to - from) / 1_000_000;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
