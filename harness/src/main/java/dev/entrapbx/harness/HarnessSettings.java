package dev.entrapbx.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Paths and versions recorded by the build (see entra-pbx-harness.properties). */
public record HarnessSettings(String keycloakVersion, Path keycloakDistZip, Path projectRoot) {

    public static HarnessSettings load() {
        Properties p = new Properties();
        try (InputStream in = HarnessSettings.class.getResourceAsStream("/entra-pbx-harness.properties")) {
            if (in == null) {
                throw new IllegalStateException("entra-pbx-harness.properties missing: build the harness with ./mvnw");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path root = Path.of(System.getProperty("entrapbx.project.root", p.getProperty("project.root")));
        return new HarnessSettings(p.getProperty("keycloak.dist.version"),
                Path.of(p.getProperty("keycloak.dist.zip")), root);
    }

    /** The jars built by providers/bundle for Keycloak's providers/ folder. */
    public Path bundleProviders() {
        return projectRoot.resolve("providers/bundle/target/providers");
    }

    /** Realm JSON files imported at start. */
    public Path realmExports() {
        return projectRoot.resolve("realm-exports");
    }

    /** Theme folders copied into Keycloak's themes/ (optional; packaged themes ride in the bundle). */
    public Path themes() {
        return projectRoot.resolve("themes");
    }

    public Path simulatorSeed() {
        return projectRoot.resolve("simulator/seeds/demo.json");
    }

    /** Work area for servers, TLS material and logs; removed by ./mvnw clean. */
    public Path workDir() {
        return projectRoot.resolve("target");
    }

    public void requireBuilt() {
        if (!Files.isRegularFile(keycloakDistZip)) {
            throw new IllegalStateException("Keycloak distribution " + keycloakDistZip
                    + " is missing: run ./mvnw package first (it downloads org.keycloak:keycloak-quarkus-dist:" + keycloakVersion + ").");
        }
        if (!Files.isDirectory(bundleProviders())) {
            throw new IllegalStateException("Bundle " + bundleProviders() + " is missing: run ./mvnw package first.");
        }
    }
}
