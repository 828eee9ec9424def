package dev.entrapbx.simulator;

import dev.entrapbx.simulator.control.SeedLoader;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.Tenant;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Command line: {@code java -jar entra-simulator.jar [--host 127.0.0.1] [--port 8443] [--cert-dir DIR]
 * [--seed FILE]...}. Prints the base URL, the trust anchor and the seeded tenants and apps; stops on Ctrl-C.
 */
public final class SimulatorMain {
    private SimulatorMain() { }

    public static void main(String[] args) throws InterruptedException {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
        Logger.getLogger("").setLevel(Level.INFO);
        String host = "127.0.0.1";
        int port = 8443;
        Path certDir = Path.of("target", "sim-tls");
        List<Path> seeds = new ArrayList<>();
        List<String> hostNames = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--host" -> host = value(args, ++i, arg);
                case "--port" -> port = Integer.parseInt(value(args, ++i, arg));
                case "--cert-dir" -> certDir = Path.of(value(args, ++i, arg));
                case "--seed" -> seeds.add(Path.of(value(args, ++i, arg)));
                case "--hostname" -> hostNames.add(value(args, ++i, arg));
                case "-h", "--help" -> {
                    usage(System.out);
                    return;
                }
                default -> {
                    System.err.println("Unknown option: " + arg);
                    usage(System.err);
                    System.exit(2);
                }
            }
        }
        for (Path seed : seeds) {
            if (!Files.isRegularFile(seed)) {
                System.err.println("Seed file not found: " + seed.toAbsolutePath());
                System.exit(2);
            }
        }
        EntraSimulator.Builder builder = EntraSimulator.builder().host(host).port(port).certDir(certDir);
        hostNames.forEach(builder::hostName);
        EntraSimulator sim = builder.build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Entra simulator...");
            sim.close();
            stopped.countDown();
        }, "entra-simulator-shutdown"));
        List<SeedLoader.Summary> loaded = new ArrayList<>();
        for (Path seed : seeds) {
            loaded.add(sim.loadSeed(seed));
        }
        PrintStream out = System.out;
        out.println("Entra ID / Microsoft Graph simulator");
        out.println("  base URL      : " + sim.baseUrl());
        out.println("  trust anchor  : " + sim.trustAnchorPem().toAbsolutePath());
        out.println("  control API   : " + sim.baseUrl() + "/_sim/health");
        for (SeedLoader.Summary s : loaded) {
            for (Tenant t : s.tenants()) {
                out.println("  tenant        : " + t.displayName() + "  " + t.id() + "  (" + t.defaultDomain().name() + ")");
                out.println("    discovery   : " + sim.baseUrl() + "/" + t.id() + "/v2.0/.well-known/openid-configuration");
                out.println("    users       : " + sim.directory().userCount(t.id()));
                for (AppRegistration a : sim.directory().apps(t.id())) {
                    out.println("    app         : " + a.displayName() + "  client_id " + a.appId() + "  ("
                            + a.signInAudience() + ", permissions " + a.permissions() + ")");
                }
            }
        }
        out.println("Press Ctrl-C to stop.");
        stopped.await();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println("Missing value for " + option);
            System.exit(2);
        }
        return args[i];
    }

    private static void usage(PrintStream out) {
        out.println("Usage: java -jar entra-simulator.jar [--host 127.0.0.1] [--port 8443] [--cert-dir target/sim-tls] "
                + "[--seed seeds/demo.json]... [--hostname NAME]... (extra DNS names for the TLS certificate)");
    }
}
