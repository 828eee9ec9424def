package dev.entrapbx.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a JDK that Keycloak 26.7 supports (21 or newer): JAVA_HOME when it is new enough, else
 * the newest JDK under /usr/lib/jvm (and /opt/java). The build itself may run on JDK 17.
 */
public final class Jdks {

    public static final int KEYCLOAK_MIN_JAVA = 21;
    private static final Pattern JAVA_VERSION = Pattern.compile("^JAVA_VERSION=\"?(\\d+)(?:[.\"].*)?$", Pattern.MULTILINE);
    private static final List<Path> SEARCH_ROOTS = List.of(Path.of("/usr/lib/jvm"), Path.of("/opt/java"), Path.of("/opt"));

    private Jdks() {
    }

    public record Jdk(Path home, int major) {
        public Path java() {
            return home.resolve("bin/java");
        }
    }

    /**
     * @throws IllegalStateException with what to install when no suitable JDK exists
     */
    public static Jdk findForKeycloak() {
        List<String> looked = new ArrayList<>();
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            Optional<Jdk> jdk = inspect(Path.of(javaHome));
            looked.add(javaHome + jdk.map(j -> " (Java " + j.major + ")").orElse(" (not a JDK)"));
            if (jdk.isPresent() && jdk.get().major >= KEYCLOAK_MIN_JAVA) {
                return jdk.get();
            }
        }
        List<Jdk> candidates = new ArrayList<>();
        for (Path root : SEARCH_ROOTS) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> dirs = Files.list(root)) {
                dirs.filter(Files::isDirectory).forEach(d -> inspect(d).ifPresent(j -> {
                    looked.add(d + " (Java " + j.major + ")");
                    candidates.add(j);
                }));
            } catch (IOException e) {
                looked.add(root + " (unreadable: " + e.getMessage() + ")");
            }
        }
        return candidates.stream()
                .filter(j -> j.major >= KEYCLOAK_MIN_JAVA)
                .max(Comparator.comparingInt(Jdk::major))
                .orElseThrow(() -> new IllegalStateException(
                        "Keycloak 26.7 needs a JDK " + KEYCLOAK_MIN_JAVA + " or newer, and none was found.\n"
                                + "  Looked at: " + (looked.isEmpty() ? "nothing (JAVA_HOME unset, no /usr/lib/jvm)" : String.join(", ", looked)) + "\n"
                                + "  Install one (e.g. 'apt-get install openjdk-21-jdk-headless', or Temurin 21/25 under /usr/lib/jvm)\n"
                                + "  or point JAVA_HOME at it."));
    }

    /** Reads {@code <home>/release}; empty when the folder is not a JDK with a java launcher. */
    static Optional<Jdk> inspect(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
            return Optional.empty();
        }
        try {
            Matcher m = JAVA_VERSION.matcher(Files.readString(release));
            if (!m.find()) {
                return Optional.empty();
            }
            int major = Integer.parseInt(m.group(1));
            if (major == 1) { // 1.8 style
                major = 8;
            }
            return Optional.of(new Jdk(home.toRealPath(), major));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
