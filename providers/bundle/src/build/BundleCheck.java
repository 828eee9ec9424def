import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Build check run by the bundle module (java source-file mode, no dependencies):
 * fails when a jar we would put into Keycloak's providers/ folder duplicates or clashes with a
 * library Keycloak already ships in lib/lib/main or lib/lib/boot. Shipping such a jar silently replaces
 * Keycloak's own copy for the whole server (seen with Jackson, slf4j, Guava).
 *
 * Two rules, for every third-party jar in the bundle:
 *  1. same Maven coordinates (groupId.artifactId, whatever the version) as a Keycloak jar;
 *  2. any class package that a Keycloak jar also contains (catches relocated or renamed copies).
 *
 * Usage: java BundleCheck.java <providers dir> <keycloak dist zip> <our groupId> <report file>
 */
public class BundleCheck {

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: BundleCheck <providers dir> <keycloak dist zip> <our groupId> <report file>");
            System.exit(2);
        }
        Path providers = Path.of(args[0]);
        Path distZip = Path.of(args[1]);
        String ourGroup = args[2];
        Path report = Path.of(args[3]);
        long started = System.nanoTime();

        Map<String, String> keycloakJarByPackage = new HashMap<>();
        List<String> keycloakJarNames = new ArrayList<>();
        try (ZipFile dist = new ZipFile(distZip.toFile())) {
            for (ZipEntry e : java.util.Collections.list(dist.entries())) {
                String name = e.getName();
                // lib/lib/main and lib/lib/boot (jboss-logging, smallrye-common, ...): everything on Keycloak's classpath
                int at = name.indexOf("/lib/lib/");
                if (at < 0 || !name.endsWith(".jar")) {
                    continue;
                }
                String jar = name.substring(name.lastIndexOf('/') + 1);
                keycloakJarNames.add(jar);
                try (ZipInputStream in = new ZipInputStream(dist.getInputStream(e))) {
                    for (ZipEntry c; (c = in.getNextEntry()) != null; ) {
                        String p = packageOf(c.getName());
                        if (p != null) {
                            keycloakJarByPackage.putIfAbsent(p, jar);
                        }
                    }
                }
            }
        }
        if (keycloakJarNames.isEmpty()) {
            fail("no lib/lib/main/*.jar found in " + distZip + ": is it a keycloak-quarkus-dist zip?");
        }

        List<String> problems = new ArrayList<>();
        Map<String, String> contents = new TreeMap<>();
        List<Path> jars;
        try (var s = Files.list(providers)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        for (Path jarPath : jars) {
            String file = jarPath.getFileName().toString();
            try (JarFile jar = new JarFile(jarPath.toFile())) {
                Properties coords = mavenCoordinates(jar);
                String g = coords.getProperty("groupId", "?");
                String a = coords.getProperty("artifactId", "?");
                String v = coords.getProperty("version", "?");
                contents.put(file, g + ":" + a + ":" + v + "  " + (Files.size(jarPath) / 1024) + " KiB");
                String prefix = g + "." + a + "-";
                // our own jars get the package check too (nothing copied into them unrelocated)
                keycloakJarNames.stream().filter(k -> !g.equals(ourGroup) && k.startsWith(prefix)).findFirst().ifPresent(k -> problems.add(
                        file + " (" + g + ":" + a + ":" + v + ") duplicates Keycloak's lib/lib/main/" + k
                                + ": do not ship it; Keycloak's copy is already on the classpath"));
                TreeSet<String> clashes = new TreeSet<>();
                for (var entries = jar.entries(); entries.hasMoreElements(); ) {
                    String p = packageOf(entries.nextElement().getName());
                    if (p != null && keycloakJarByPackage.containsKey(p)) {
                        clashes.add(p + " (also in " + keycloakJarByPackage.get(p) + ")");
                    }
                }
                if (!clashes.isEmpty()) {
                    List<String> shown = clashes.stream().limit(5).toList();
                    problems.add(file + " (" + g + ":" + a + ":" + v + ") clashes with Keycloak: " + clashes.size()
                            + " package(s) also shipped by Keycloak, e.g. " + shown);
                }
            }
        }

        StringBuilder out = new StringBuilder("# jars for Keycloak's providers/ folder (checked against ")
                .append(distZip.getFileName()).append(")\n");
        contents.forEach((f, d) -> out.append(f).append("  ").append(d).append('\n'));
        Files.writeString(report, out);
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
        System.out.printf("Bundle check: %d jar(s), no overlap with %d Keycloak jars (%d ms); contents in %s%n",
                jars.size(), keycloakJarNames.size(), (System.nanoTime() - started) / 1_000_000, report);
    }

    private static Properties mavenCoordinates(JarFile jar) throws IOException {
        Properties found = new Properties();
        for (var entries = jar.entries(); entries.hasMoreElements(); ) {
            ZipEntry e = entries.nextElement();
            if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
                try (InputStream in = jar.getInputStream(e)) {
                    found.load(in);
                }
                return found;
            }
        }
        return found;
    }

    /** Package of a class entry; null for resources, module-info and multi-release copies. */
    private static String packageOf(String entry) {
        if (!entry.endsWith(".class") || entry.startsWith("META-INF/") || entry.endsWith("module-info.class")) {
            return null;
        }
        int slash = entry.lastIndexOf('/');
        return slash < 0 ? "" : entry.substring(0, slash).replace('/', '.');
    }

    private static void fail(String message) {
        System.err.println("BUNDLE CHECK FAILED:\n" + message);
        System.exit(1);
    }
}
