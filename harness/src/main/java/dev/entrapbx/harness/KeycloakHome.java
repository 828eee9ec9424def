package dev.entrapbx.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A Keycloak installation unpacked from the keycloak-quarkus-dist zip, with our providers and
 * themes installed. Re-unpacks when the version changes. When a provider jar disappears, the
 * previous build's {@code lib/quarkus} still references it and {@code kc.sh} hangs without output,
 * so it is restored from the zip first.
 */
public final class KeycloakHome {

    private static final String MARKER = ".entrapbx-dist";
    private static final String THEMES_MARKER = ".entrapbx-themes";
    private static final String BUILD_MARKER = ".entrapbx-build";

    private final Path home;

    private KeycloakHome(Path home) {
        this.home = home;
    }

    public Path path() {
        return home;
    }

    public Path dataDir() {
        return home.resolve("data");
    }

    /** Keycloak's file vault: a file named {@code <realm>_<key>} holds the value of {@code ${vault.<key>}}. */
    public Path vaultDir() {
        return home.resolve("vault");
    }

    public Path importDir() {
        return home.resolve("data/import");
    }

    public Path kcSh() {
        return home.resolve("bin/kc.sh");
    }

    /** Unpacks (if needed) and installs the given provider jars and theme folders. */
    public static KeycloakHome prepare(Path home, Path distZip, String version, List<Path> providerJars, Path themesDir) {
        try {
            KeycloakHome kc = new KeycloakHome(home);
            Path marker = home.resolve(MARKER);
            if (!Files.isRegularFile(marker) || !Files.readString(marker).trim().equals(version)) {
                deleteTree(home);
                unzip(distZip, home, entry -> true);
                Files.writeString(marker, version);
            }
            kc.installProviders(distZip, providerJars);
            kc.installThemes(themesDir);
            return kc;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare Keycloak in " + home + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code kc.sh build} with the given build options (the production start path: {@code start
     * --optimized} then uses this build). Skipped when the options, Keycloak and the providers are
     * the same as at the last build.
     */
    public void build(List<String> buildOptions, Jdks.Jdk jdk, Path log) {
        try {
            Path marker = home.resolve(BUILD_MARKER);
            String fingerprint = buildFingerprint(buildOptions);
            if (Files.isRegularFile(marker) && Files.readString(marker).equals(fingerprint)) {
                return;
            }
            Files.deleteIfExists(marker);
            List<String> cmd = new ArrayList<>(List.of("/bin/bash", kcSh().toString(), "build"));
            cmd.addAll(buildOptions);
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("JAVA_HOME", jdk.home().toString());
            Process p = pb.start();
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("kc.sh build did not finish within 5 minutes.\n" + KeycloakServer.tail(log, 30));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("kc.sh build " + String.join(" ", buildOptions) + " failed (exit " + p.exitValue() + ").\n"
                        + KeycloakServer.tail(log, 30));
            }
            Files.writeString(marker, fingerprint);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not build Keycloak in " + home + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while building Keycloak", e);
        }
    }

    private String buildFingerprint(List<String> buildOptions) throws IOException {
        StringBuilder b = new StringBuilder(Files.readString(home.resolve(MARKER)).trim()).append('\n').append(buildOptions).append('\n');
        for (Path jar : jarsIn(home.resolve("providers"))) {
            b.append(jar.getFileName()).append(' ').append(Files.size(jar)).append(' ').append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
        }
        return b.toString();
    }

    /**
     * A second installation with the same build (a second cluster node on this machine needs its
     * own {@code data/}); {@code target} is replaced.
     */
    public KeycloakHome copyTo(Path target) {
        try {
            deleteTree(target);
            try (Stream<Path> s = Files.list(home)) {
                for (Path p : s.toList()) {
                    if (!p.getFileName().toString().equals("data")) {
                        if (Files.isDirectory(p)) {
                            copyTree(p, target.resolve(p.getFileName().toString()));
                        } else {
                            Files.createDirectories(target);
                            Files.copy(p, target.resolve(p.getFileName().toString()), StandardCopyOption.COPY_ATTRIBUTES);
                        }
                    }
                }
            }
            return new KeycloakHome(target);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not copy Keycloak to " + target + ": " + e.getMessage(), e);
        }
    }

    private void installProviders(Path distZip, List<Path> jars) throws IOException {
        Path providers = home.resolve("providers");
        Files.createDirectories(providers);
        Set<String> wanted = jars.stream().map(j -> j.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> s = Files.list(providers)) {
            s.filter(p -> p.toString().endsWith(".jar") && !wanted.contains(p.getFileName().toString())).forEach(stale::add);
        }
        // The augmented build still points at removed jars: restore it from the zip. A marker makes
        // an interrupted restore resume on the next start instead of leaving kc.sh to hang.
        Path restorePending = home.resolve(".entrapbx-restore-pending");
        if (!stale.isEmpty()) {
            Files.writeString(restorePending, "lib/quarkus");
            for (Path p : stale) {
                Files.delete(p);
            }
        }
        if (Files.exists(restorePending)) {
            deleteTree(home.resolve("lib/quarkus"));
            unzip(distZip, home, entry -> entry.startsWith("lib/quarkus/"));
            Files.delete(restorePending);
        }
        for (Path jar : jars) {
            Path target = providers.resolve(jar.getFileName());
            if (!Files.exists(target) || Files.mismatch(jar, target) != -1L) {
                Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private void installThemes(Path themesDir) throws IOException {
        Path themes = home.resolve("themes");
        Path marker = themes.resolve(THEMES_MARKER);
        if (Files.isRegularFile(marker)) {
            for (String name : Files.readAllLines(marker)) {
                if (!name.isBlank()) {
                    deleteTree(themes.resolve(name));
                }
            }
            Files.delete(marker);
        }
        if (themesDir == null || !Files.isDirectory(themesDir)) {
            return;
        }
        List<String> installed = new ArrayList<>();
        try (Stream<Path> s = Files.list(themesDir)) {
            for (Path theme : s.filter(KeycloakHome::isThemeFolder).toList()) {
                copyTree(theme, themes.resolve(theme.getFileName()));
                installed.add(theme.getFileName().toString());
            }
        }
        Files.createDirectories(themes);
        Files.write(marker, installed);
    }

    private static boolean isThemeFolder(Path p) {
        return Stream.of("login", "email", "account", "admin", "welcome").anyMatch(type -> Files.isDirectory(p.resolve(type)));
    }

    interface EntryFilter {
        boolean accept(String pathInsideDist);
    }

    /** Extracts the zip's single top folder (keycloak-x.y.z/) into {@code target}. */
    static void unzip(Path zip, Path target, EntryFilter filter) throws IOException {
        Files.createDirectories(target);
        Path normalizedTarget = target.toAbsolutePath().normalize();
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zf.entries())) {
                String name = e.getName();
                int slash = name.indexOf('/');
                if (slash < 0 || slash == name.length() - 1) {
                    continue;
                }
                String inner = name.substring(slash + 1);
                if (!filter.accept(inner)) {
                    continue;
                }
                Path out = normalizedTarget.resolve(inner).normalize();
                if (!out.startsWith(normalizedTarget)) {
                    throw new IOException("Refusing zip entry outside the target: " + name);
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = zf.getInputStream(e)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
                if (inner.startsWith("bin/") && inner.endsWith(".sh")) {
                    out.toFile().setExecutable(true, false);
                }
            }
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static List<Path> jarsIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return home.toString();
    }
}
