package dev.entrapbx.harness;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The run command: starts the Entra simulator and Keycloak with the bundle and the demo realm,
 * prints where to go, and stops both on Ctrl-C.
 */
public final class DevRun {

    private static final String USAGE = """
            Usage: ./run [options]
              --db h2|postgres      database (default h2, kept in target/keycloak-run/data)
              --db-url URL          PostgreSQL JDBC URL (default %s)
              --db-user USER        PostgreSQL user (default postgres)
              --db-password PASS    PostgreSQL password (default empty)
              --fresh               start from an empty database (re-imports realm-exports/)
              --port N              Keycloak HTTP port (default 8080; the demo's redirect URIs assume 8080)
              --management-port N   Keycloak management port (default 9000)
              --simulator-port N    Entra simulator HTTPS port (default 8443)
            """.formatted(Database.DEFAULT_POSTGRES_URL);

    private DevRun() {
    }

    public static void main(String[] args) throws InterruptedException {
        EntraPbxStack.Config config = EntraPbxStack.config().name("run");
        String db = "h2";
        String dbUrl = null;
        String dbUser = null;
        String dbPassword = null;
        Deque<String> a = new ArrayDeque<>(List.of(args));
        try {
            while (!a.isEmpty()) {
                String arg = a.pop();
                switch (arg) {
                    case "--db" -> db = value(a, arg);
                    case "--db-url" -> dbUrl = value(a, arg);
                    case "--db-user" -> dbUser = value(a, arg);
                    case "--db-password" -> dbPassword = value(a, arg);
                    case "--fresh" -> config.freshData(true);
                    case "--port" -> config.httpPort(Integer.parseInt(value(a, arg)));
                    case "--management-port" -> config.managementPort(Integer.parseInt(value(a, arg)));
                    case "--simulator-port" -> config.simulatorPort(Integer.parseInt(value(a, arg)));
                    case "-h", "--help" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("Unknown option " + arg);
                }
            }
            config.database(Database.fromName(db, dbUrl, dbUser, dbPassword));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n" + USAGE);
            System.exit(2);
        }

        System.out.println("Starting the Entra simulator and Keycloak (" + config.database + ") ...");
        EntraPbxStack stack;
        try {
            stack = EntraPbxStack.start(config);
        } catch (IllegalStateException e) {
            System.err.println("\n" + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        AtomicBoolean crashed = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            System.out.println("\nStopping Keycloak and the simulator ...");
            stack.close();
            stopped.countDown();
        }, "entra-pbx-shutdown"));

        stack.keycloak().onExit().thenAccept(p -> {
            if (!stopping.get()) {
                System.err.println("\nKeycloak stopped unexpectedly (exit code " + p.exitValue() + "); see "
                        + stack.settings().workDir().resolve("keycloak-run.log"));
                crashed.set(true);
                stopped.countDown();
            }
        });
        String kc = stack.keycloak().baseUrl();
        String demoSync = demoSync(stack);
        String fabrikam = demoOnboarding(stack);
        System.out.printf("""

                entra-pbx is up (Keycloak %s ready in %d s, %s)

                  Admin console      %s/admin/  (user %s, password %s)
                  Demo login page    %s/realms/demo/account/
                  Demo local user    %s / %s
                  Contoso user sync  %s
                  Fabrikam onboarding %s
                  Entra simulator    %s   (control API: %s/_sim/health)
                  Keycloak log       %s

                Press Ctrl-C to stop both.
                """,
                stack.settings().keycloakVersion(), stack.keycloak().bootTime().toSeconds(), stack.keycloak().database(),
                kc, KeycloakServer.ADMIN_USER, KeycloakServer.ADMIN_PASSWORD,
                kc, "demo.local", "Demo-Passw0rd!", demoSync, fabrikam,
                stack.simulator().baseUrl(), stack.simulator().baseUrl(),
                stack.settings().workDir().resolve("keycloak-run.log"));
        stopped.await();
        if (crashed.get()) {
            System.exit(1); // the shutdown hook stops the simulator
        }
    }

    static final String DEMO_SYNC = "contoso-users";

    /**
     * The demo's Entra user sync for Organization Contoso (created on first start, changed users
     * every 5 minutes), and a sync now; returns a line for the banner.
     */
    static String demoSync(EntraPbxStack stack) {
        try {
            // Contoso (tenant, app, IdP, Organization) comes from the demo realm and the simulator seed
            Customer contoso = Customer.existing(stack, TestRealm.existing(stack.keycloak().admin(), "demo"), "contoso");
            String id = contoso.findSync(DEMO_SYNC);
            boolean created = id == null;
            if (created) {
                id = contoso.createSync(DEMO_SYNC, Map.of("extensionRange", "2000-2999",
                        "changedSyncPeriod", "300", "fullSyncPeriod", "-1"));
            }
            com.fasterxml.jackson.databind.JsonNode r = contoso.sync(id, created);
            return String.format("%s: %d added, %d updated (User federation > %s; run log: /admin/realms/demo/entra-sync/%s/runs)",
                    created ? "first full sync" : "changed sync", r.path("added").asInt(), r.path("updated").asInt(), DEMO_SYNC, id);
        } catch (RuntimeException e) {
            return "not run: " + e.getMessage();
        }
    }

    /** The demo partner's multi-tenant app (simulator ids, stable across restarts: the realm keeps its partner app page). */
    static final String DEMO_PARTNER_TENANT = "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9";
    static final String DEMO_PARTNER_APP = "5b7c2e1d-8f3a-4c6b-9e0d-1a2b3c4d5e6f";
    static final String FABRIKAM_TENANT = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";

    /**
     * Customer onboarding in the demo: the demo realm's partner app, and a fresh invitation for
     * Fabrikam (its simulator tenant comes from the seed) on every start until Fabrikam is connected;
     * returns a line for the banner.
     */
    static String demoOnboarding(EntraPbxStack stack) {
        try {
            TestRealm demo = TestRealm.existing(stack.keycloak().admin(), "demo");
            Partner partner = Partner.ensure(stack, demo, DEMO_PARTNER_TENANT, "northwind-partner.example", DEMO_PARTNER_APP,
                    "demo-partner-app-secret", "Northwind Cloud PBX (demo partner app)", Map.of());
            KeycloakAdminClient admin = stack.keycloak().admin();
            for (com.fasterxml.jackson.databind.JsonNode inv : admin.get("/demo/entra-onboarding/invitations?max=200").path("invitations")) {
                boolean fabrikam = inv.path("domains").toString().contains("fabrikam.example");
                if (fabrikam && "LINKED".equals(inv.path("status").asText())) {
                    // the simulator forgets consents on restart; Microsoft would not
                    partner.directory().grantAdminConsent(FABRIKAM_TENANT, DEMO_PARTNER_APP);
                    return "connected (Organization " + inv.path("organizationAlias").asText() + "); people sign in as e.g. "
                            + "anna.fischer@fabrikam.example / Demo-Passw0rd!";
                }
                if (fabrikam && ("PENDING".equals(inv.path("status").asText()) || "EXPIRED".equals(inv.path("status").asText()))) {
                    admin.send("DELETE", "/demo/entra-onboarding/invitations/" + inv.path("id").asText(), null);
                }
            }
            com.fasterxml.jackson.databind.JsonNode created = partner.invite("Fabrikam", "fabrikam.example", "3000-3999");
            return created.path("link").asText() + "\n                      (open it, Continue, sign in at Microsoft as "
                    + "anna.fischer@fabrikam.example / Demo-Passw0rd!, Accept)";
        } catch (RuntimeException e) {
            return "not available: " + e.getMessage();
        }
    }

    private static String value(Deque<String> args, String option) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.pop();
    }
}
