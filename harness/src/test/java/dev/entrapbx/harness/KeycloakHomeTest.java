package dev.entrapbx.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeycloakHomeTest {

    @TempDir
    Path tmp;

    @Test
    void unpacksInstallsProvidersAndRestoresAugmentationWhenAJarIsRemoved() throws IOException {
        Path zip = distZip(Map.of(
                "keycloak-9.9.9/bin/kc.sh", "#!/bin/sh",
                "keycloak-9.9.9/lib/quarkus/build-system.properties", "pristine",
                "keycloak-9.9.9/providers/README.md", "providers"));
        Path a = Files.writeString(tmp.resolve("a.jar"), "A");
        Path b = Files.writeString(tmp.resolve("b.jar"), "B");
        Path home = tmp.resolve("kc");

        KeycloakHome kc = KeycloakHome.prepare(home, zip, "9.9.9", List.of(a, b), null);
        assertThat(kc.kcSh()).isExecutable();
        assertThat(home.resolve("providers/a.jar")).hasContent("A");
        assertThat(home.resolve("providers/b.jar")).hasContent("B");

        // Keycloak's build rewrites lib/quarkus; then b.jar goes away.
        Files.writeString(home.resolve("lib/quarkus/build-system.properties"), "augmented with b.jar");
        KeycloakHome.prepare(home, zip, "9.9.9", List.of(a), null);
        assertThat(home.resolve("providers/b.jar")).doesNotExist();
        assertThat(home.resolve("lib/quarkus/build-system.properties")).hasContent("pristine");

        // Adding a jar keeps the augmentation (Keycloak re-augments by itself).
        Files.writeString(home.resolve("lib/quarkus/build-system.properties"), "augmented");
        KeycloakHome.prepare(home, zip, "9.9.9", List.of(a, b), null);
        assertThat(home.resolve("lib/quarkus/build-system.properties")).hasContent("augmented");
    }

    @Test
    void installsThemeFoldersAndRemovesOnesThatWereDeleted() throws IOException {
        Path zip = distZip(Map.of("keycloak-1.0.0/bin/kc.sh", "#!/bin/sh"));
        Path themes = tmp.resolve("themes");
        Files.createDirectories(themes.resolve("brand/login"));
        Files.writeString(themes.resolve("brand/login/theme.properties"), "parent=keycloak.v2");
        Files.createDirectories(themes.resolve("not-a-theme"));
        Path home = tmp.resolve("kc");

        KeycloakHome.prepare(home, zip, "1.0.0", List.of(), themes);
        assertThat(home.resolve("themes/brand/login/theme.properties")).exists();
        assertThat(home.resolve("themes/not-a-theme")).doesNotExist();

        KeycloakHome.deleteTree(themes.resolve("brand"));
        KeycloakHome.prepare(home, zip, "1.0.0", List.of(), themes);
        assertThat(home.resolve("themes/brand")).doesNotExist();
    }

    @Test
    void refusesZipEntriesThatEscapeTheTarget() throws IOException {
        Path zip = distZip(Map.of("keycloak-1.0.0/../../evil.txt", "x"));
        assertThatThrownBy(() -> KeycloakHome.unzip(zip, tmp.resolve("out"), e -> true))
                .hasMessageContaining("outside the target");
    }

    private Path distZip(Map<String, String> entries) throws IOException {
        Path zip = tmp.resolve("dist-" + System.nanoTime() + ".zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return zip;
    }
}
