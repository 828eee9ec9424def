package dev.entrapbx.bench;

import dev.entrapbx.harness.Browserless;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.simulator.EntraSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Complete brokered logins (Keycloak -> simulator login form -> Keycloak -> client redirect with
 * a code) through {@code entra-id} and, in the same run against the same simulator tenant,
 * through Keycloak's generic {@code oidc} provider configured by hand with the same endpoints:
 * the anchor. Logins alternate between the two so both see the same machine state.
 *
 * <p>Usage: {@code java -jar benchmarks/target/entra-pbx-benchmarks.jar [logins per provider, default 200]}
 */
public final class BrokerLoginBenchmark {

    private static final int WARMUP = 30;

    private BrokerLoginBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        try (EntraPbxStack stack = EntraPbxStack.start(EntraPbxStack.config().name("bench").ephemeralPorts().freshData(true))) {
            EntraSimulator sim = stack.simulator();
            TestRealm realm = TestRealm.create(stack.keycloak().admin(), "bench");
            Customer bench = Customer.in(stack, realm, "bench").displayName("Bench Corp").idpAlias("entra").withoutOrganization().create();
            String tenant = bench.tenantId();
            for (String who : List.of("entra", "oidc")) {
                bench.entraUser(who);
            }

            // the anchor: Keycloak's generic OIDC provider, same endpoints, same checks Keycloak can express
            Map<String, String> oidc = new LinkedHashMap<>();
            oidc.put("clientId", bench.appId());
            oidc.put("clientSecret", bench.secret());
            oidc.put("clientAuthMethod", "client_secret_post");
            oidc.put("authorizationUrl", sim.baseUrl() + "/" + tenant + "/oauth2/v2.0/authorize");
            oidc.put("tokenUrl", sim.baseUrl() + "/" + tenant + "/oauth2/v2.0/token");
            oidc.put("jwksUrl", sim.baseUrl() + "/" + tenant + "/discovery/v2.0/keys");
            oidc.put("issuer", sim.baseUrl() + "/" + tenant + "/v2.0");
            oidc.put("useJwksUrl", "true");
            oidc.put("validateSignature", "true");
            oidc.put("pkceEnabled", "true");
            oidc.put("pkceMethod", "S256");
            oidc.put("disableUserInfo", "true");
            oidc.put("defaultScope", "openid profile email");
            bench.addRedirectUri("oidc");
            realm.createIdp("oidc", "oidc", oidc).expect(201);

            for (int i = 0; i < WARMUP; i++) {
                login(stack, sim, realm, "entra");
                login(stack, sim, realm, "oidc");
            }
            List<Double> entraMs = new ArrayList<>();
            List<Double> oidcMs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (i % 2 == 0) {
                    entraMs.add(login(stack, sim, realm, "entra"));
                    oidcMs.add(login(stack, sim, realm, "oidc"));
                } else {
                    oidcMs.add(login(stack, sim, realm, "oidc"));
                    entraMs.add(login(stack, sim, realm, "entra"));
                }
            }
            String report = report(n, entraMs, oidcMs);
            System.out.println(report);
            Path out = stack.settings().workDir().resolve("benchmarks/broker-login.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
            System.out.println("Written to " + out);
        }
    }

    /** One complete login in a fresh browser; milliseconds from the client's auth request to the redirect with a code. */
    private static double login(EntraPbxStack stack, EntraSimulator sim, TestRealm realm, String alias) {
        Browserless browser = new Browserless(sim.sslContext());
        long t0 = System.nanoTime();
        Browserless.Page form = browser.follow(browser.get(realm.authorizationRequest(stack.keycloak().baseUrl(), alias, null)), "\u0000");
        Browserless.Page end = browser.follow(browser.submit(form, "loginfmt",
                Map.of("loginfmt", alias + "@bench.example", "passwd", Customer.PASSWORD)), TestRealm.CLIENT_REDIRECT);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (!end.isRedirect() || !end.location().startsWith(TestRealm.CLIENT_REDIRECT) || !end.location().contains("code=")) {
            throw new IllegalStateException(alias + " login failed: " + end.status() + " " + end.uri() + "\n" + end.body());
        }
        return ms;
    }

    static String report(int n, List<Double> entra, List<Double> oidc) {
        double em = percentile(entra, 50);
        double om = percentile(oidc, 50);
        double e95 = percentile(entra, 95);
        double o95 = percentile(oidc, 95);
        return String.format("""
                # Brokered login: entra-id vs Keycloak's generic oidc (anchor)

                %d complete logins per provider, alternating, after %d warm-up logins each; same Keycloak, same simulator tenant.
                Each login: client auth request -> Keycloak -> simulator login form -> Keycloak (code exchange, token checks) -> client redirect.

                | provider | median ms | p95 ms |
                |---|---|---|
                | entra-id | %.1f | %.1f |
                | oidc (anchor) | %.1f | %.1f |
                | ratio entra-id / oidc | %.2f | %.2f |
                """, n, WARMUP, em, e95, om, o95, em / om, e95 / o95);
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
