package dev.entrapbx.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The image users build from docker/Dockerfile ships no demo realm and imports nothing by default. */
class DockerImageTest {

    private static final Path DOCKERFILE = Path.of("..", "docker", "Dockerfile");

    private static List<String> instructions() throws IOException {
        return Files.readAllLines(DOCKERFILE).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    @Test
    void copiesNoRealmExportsIntoTheImage() throws IOException {
        assertThat(instructions()).filteredOn(l -> l.startsWith("COPY") || l.startsWith("ADD"))
                .noneMatch(l -> l.contains("realm-exports") || l.contains("data/import"));
    }

    @Test
    void importsNoRealmAtStart() throws IOException {
        List<String> run = instructions().stream().filter(l -> l.startsWith("CMD") || l.startsWith("ENTRYPOINT")).toList();
        assertThat(run).isNotEmpty().noneMatch(l -> l.contains("--import-realm") || l.contains("start-dev"));
        assertThat(run).anyMatch(l -> l.contains("--optimized"));
    }
}
