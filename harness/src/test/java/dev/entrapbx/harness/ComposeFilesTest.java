package dev.entrapbx.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker/Dockerfile and docker/compose.yaml run the steps the cluster test runs
 * ({@link KeycloakCluster}): the same {@code kc.sh build} options, start command, {@code KC_*}
 * environment and health check. A change to one without the other fails here.
 */
class ComposeFilesTest {

    private static final Path DOCKER = Path.of("..", "docker");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    private static List<String> lines(String file) throws IOException {
        return Files.readAllLines(DOCKER.resolve(file));
    }

    /** The lines of service {@code name} in compose.yaml (up to the next service). */
    private static List<String> service(String name) throws IOException {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : lines("compose.yaml")) {
            if (l.matches("^  [a-z0-9-]+:.*")) {
                in = l.startsWith("  " + name + ":");
                continue;
            }
            if (in) {
                out.add(l);
            }
        }
        return out;
    }

    private static Map<String, String> environment(List<String> service) {
        Map<String, String> env = new LinkedHashMap<>();
        boolean in = false;
        for (String l : service) {
            if (l.matches("^    environment:.*")) {
                in = true;
                continue;
            }
            if (in && l.matches("^    [a-z].*")) {
                break;
            }
            Matcher m = Pattern.compile("^      ([A-Z_]+): ?(.*)$").matcher(l);
            if (in && m.matches()) {
                env.put(m.group(1), m.group(2));
            }
        }
        return env;
    }

    /** The quoted items of a YAML flow list that starts at the line beginning with {@code key} (it may go on over lines). */
    private static List<String> flowList(List<String> service, String key) {
        StringBuilder text = new StringBuilder();
        boolean in = false;
        for (String l : service) {
            if (l.strip().startsWith(key)) {
                in = true;
            }
            if (in) {
                text.append(l);
                if (l.strip().endsWith("]")) {
                    break;
                }
            }
        }
        List<String> items = new ArrayList<>();
        Matcher m = QUOTED.matcher(text);
        while (m.find()) {
            items.add(m.group(1));
        }
        return items;
    }

    @Test
    void theImageIsBuiltWithTheClusterTestsBuildOptions() throws IOException {
        List<String> builds = lines("Dockerfile").stream().map(String::strip).filter(l -> l.startsWith("RUN") && l.contains("kc.sh build")).toList();
        assertThat(builds).hasSize(1);
        List<String> options = Arrays.asList(builds.get(0).substring(builds.get(0).indexOf("kc.sh build") + "kc.sh build".length()).strip().split("\\s+"));
        assertThat(options).containsExactlyInAnyOrderElementsOf(KeycloakCluster.BUILD_OPTIONS);
        assertThat(lines("Dockerfile").stream().map(String::strip)).as("no build option hidden in ENV")
                .noneMatch(l -> l.startsWith("ENV") && l.contains("KC_"));
    }

    @Test
    void theImageAndEveryComposeNodeStartAsTheClusterTestsNodes() throws IOException {
        String cmd = lines("Dockerfile").stream().map(String::strip).filter(l -> l.startsWith("CMD")).findFirst().orElseThrow();
        List<String> imageCmd = new ArrayList<>();
        Matcher m = QUOTED.matcher(cmd);
        while (m.find()) {
            imageCmd.add(m.group(1));
        }
        assertThat(imageCmd).isEqualTo(KeycloakCluster.START_COMMAND);

        List<String> command = flowList(service("keycloak-1"), "command:");
        assertThat(command.subList(0, KeycloakCluster.START_COMMAND.size())).isEqualTo(KeycloakCluster.START_COMMAND);
        assertThat(command.subList(KeycloakCluster.START_COMMAND.size(), command.size()))
                .as("besides the demo realm's import, only the development options the cluster test sets too")
                .allMatch(o -> o.equals("--import-realm") || KeycloakCluster.DEVELOPMENT_OPTIONS.contains(o))
                .containsAll(KeycloakCluster.DEVELOPMENT_OPTIONS);
        assertThat(service("keycloak-2")).as("the second node is the first one's copy").anyMatch(l -> l.contains("<<: *keycloak"));
    }

    @Test
    void composeNodesGetTheEnvironmentTheClusterTestGives() throws IOException {
        Map<String, String> env = environment(service("keycloak-1"));
        assertThat(env.keySet()).containsExactlyInAnyOrderElementsOf(KeycloakCluster.IMAGE_ENVIRONMENT);
        assertThat(env.get("KC_HTTP_MANAGEMENT_SCHEME")).isEqualTo("http");
        assertThat(env.get("KC_HOSTNAME")).startsWith("https://");
        assertThat(KeycloakCluster.HARNESS_ENVIRONMENT).doesNotContainAnyElementsOf(KeycloakCluster.IMAGE_ENVIRONMENT);
    }

    @Test
    void composeChecksHealthAsTheClusterTestDoes() throws IOException {
        List<String> health = flowList(service("keycloak-1"), "test:");
        assertThat(String.join(" ", health)).contains("/dev/tcp/127.0.0.1/9000").contains("GET " + KeycloakCluster.HEALTH_PATH + " ");
        assertThat(lines("haproxy.cfg")).anyMatch(l -> l.contains("uri " + KeycloakCluster.HEALTH_PATH))
                .anyMatch(l -> l.contains("check port 9000"));
    }
}
