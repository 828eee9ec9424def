package dev.entrapbx.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.entrapbx.directory.claims.PbxExtensionMapperConfig;
import dev.entrapbx.kc.Settings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReadmeTablesTest {

    static final String CLAIMS_HEADING = "### Token claims (mapper `pbx-extension`)";

    @Test
    void readmeMapperTableIsTheDeclaredSettings() {
        assertThat(Settings.readmeRows(Path.of(""), CLAIMS_HEADING)).as("README's %s settings table must be:%n%s", "pbx-extension",
                Settings.markdownTable(PbxExtensionMapperConfig.SETTINGS))
                .isEqualTo(Settings.markdownRows(PbxExtensionMapperConfig.SETTINGS));
    }
}
