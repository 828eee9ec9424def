package dev.entrapbx.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdksTest {

    @TempDir
    Path tmp;

    @Test
    void readsTheMajorVersionFromTheReleaseFile() throws IOException {
        assertThat(Jdks.inspect(fakeJdk("jdk25", "25.0.1")).map(Jdks.Jdk::major)).contains(25);
        assertThat(Jdks.inspect(fakeJdk("jdk17", "17.0.15")).map(Jdks.Jdk::major)).contains(17);
        assertThat(Jdks.inspect(fakeJdk("jdk8", "1.8.0_402")).map(Jdks.Jdk::major)).contains(8);
    }

    @Test
    void aFolderWithoutReleaseOrJavaIsNotAJdk() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        assertThat(Jdks.inspect(dir)).isEmpty();
        Path noJava = Files.createDirectories(tmp.resolve("nojava"));
        Files.writeString(noJava.resolve("release"), "JAVA_VERSION=\"21\"\n");
        assertThat(Jdks.inspect(noJava)).isEmpty();
    }

    @Test
    void findsAJdkForKeycloakOnThisMachine() {
        // This machine has Temurin 25 under /usr/lib/jvm; the finder must pick a JDK >= 21.
        assertThat(Jdks.findForKeycloak().major()).isGreaterThanOrEqualTo(Jdks.KEYCLOAK_MIN_JAVA);
    }

    private Path fakeJdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(tmp.resolve(name));
        Files.createDirectories(home.resolve("bin"));
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n");
        java.toFile().setExecutable(true);
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }
}
