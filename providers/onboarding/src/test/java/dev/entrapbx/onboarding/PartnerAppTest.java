package dev.entrapbx.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.entrapbx.core.EntraIdpKeys;
import dev.entrapbx.kc.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;

class PartnerAppTest {

    static final String README_HEADING = "### Partner app settings";

    static ComponentModel model(Map<String, String> values) {
        ComponentModel m = new ComponentModel();
        values.forEach(m::put);
        return m;
    }

    @Test
    void readmeSettingsTableIsTheDeclaredSettings() {
        assertThat(Settings.readmeRows(Path.of(""), README_HEADING)).as("README's partner app settings table must be:%n%s",
                Settings.markdownTable(PartnerApp.SETTINGS)).isEqualTo(Settings.markdownRows(PartnerApp.SETTINGS));
    }

    @Test
    void aUsableAppHasNoProblemsAndReadsItsSettings() {
        PartnerApp app = PartnerApp.of(model(Map.of(PartnerApp.DISPLAY_NAME, "Northwind Cloud PBX",
                EntraIdpKeys.CLIENT_ID, "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9", EntraIdpKeys.CLIENT_SECRET, "s3cret-value",
                PartnerApp.INVITATION_DAYS, "7")));
        assertThat(app.problems()).isEmpty();
        assertThat(app.invitationValidity()).isEqualTo(Duration.ofDays(7));
        assertThat(app.changedSyncMinutes()).isEqualTo(15);
        assertThat(app.app().tenantValue()).contains("organizations");
        assertThat(app.app().clientId()).contains("3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9");
        assertThat(app.toString()).contains("Northwind Cloud PBX").doesNotContain("s3cret-value");
    }

    @Test
    void eachWrongValueIsNamedWithWhatToFix() {
        PartnerApp app = PartnerApp.of(model(Map.of(EntraIdpKeys.CLIENT_ID, "not-a-guid", PartnerApp.INVITATION_DAYS, "400",
                PartnerApp.SIGN_IN_URL, "ftp://x", PartnerApp.CHANGED_SYNC_MINUTES, "2")));
        assertThat(String.join("\n", app.problems()))
                .contains("Name shown to customers is required")
                .contains("'not-a-guid' is not a GUID")
                .contains("Client secret is required")
                .contains("Invitation validity must be 1 to 90 days")
                .contains("is not an http(s) URL")
                .contains("Changed-users sync must be 0 (never) or 5 to 1440 minutes");
    }
}
