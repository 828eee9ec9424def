package dev.entrapbx.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.entrapbx.kc.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;

class EntraSyncConfigTest {

    private static EntraSyncConfig config(String... kv) {
        MultivaluedHashMap<String, String> m = new MultivaluedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.add(kv[i], kv[i + 1]);
        }
        return new EntraSyncConfig(m);
    }

    @Test
    void defaultsAreSafe() {
        EntraSyncConfig c = config(EntraSyncConfig.ORGANIZATION, "contoso");
        assertThat(c.problems()).isEmpty();
        assertThat(c.scope()).isEqualTo(EntraSyncConfig.Scope.ALL);
        assertThat(c.includeGuests()).isFalse();
        assertThat(c.includeDisabledAccounts()).isFalse();
        assertThat(c.deleteGrace()).contains(Duration.ofDays(30));
        assertThat(c.quarantine()).isEqualTo(Duration.ofDays(90));
        assertThat(c.guardMaxUsers()).isPositive();
        assertThat(c.guardMaxPercent()).isPositive();
        assertThat(c.extensionRange()).isEqualTo(new EntraSyncConfig.Range(1000, 8999));
        assertThat(c.reuseIdpCredentials()).isTrue();
        assertThat(c.syncPhotos()).isTrue();
        assertThat(config(EntraSyncConfig.SYNC_PHOTOS, "false").syncPhotos()).isFalse();
    }

    @Test
    void groupMirrorIsOffByDefaultAndInScopeNeedsGroupScope() {
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o").groupMirror()).isEqualTo(EntraSyncConfig.GroupMirrorMode.NONE);
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.GROUP_MIRROR, "all").problems()).isEmpty();
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.GROUP_MIRROR, "In-Scope").groupMirror())
                .isEqualTo(EntraSyncConfig.GroupMirrorMode.IN_SCOPE);
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.GROUP_MIRROR, "in-scope").problems())
                .containsExactly("Entra groups 'in-scope' mirrors the groups of scope 'groups': set Scope to groups, or choose all or none.");
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.GROUP_MIRROR, "in-scope", EntraSyncConfig.SCOPE, "groups",
                EntraSyncConfig.GROUP_IDS, "aaaaaaaa-1111-4000-8000-000000000001").problems()).isEmpty();
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.GROUP_MIRROR, "some").problems())
                .containsExactly("Entra groups 'some' is unknown: use all, in-scope or none.");
        assertThat(EntraSyncConfig.PROPERTIES).filteredOn(p -> p.getName().equals("groupMirror")).singleElement()
                .satisfies(p -> assertThat(p.getOptions()).containsExactly("all", "in-scope", "none"));
    }

    @Test
    void neverKeepsDisabledUsers() {
        assertThat(config(EntraSyncConfig.DELETE_GRACE_DAYS, "never").deleteGrace()).isEmpty();
        assertThat(config(EntraSyncConfig.DELETE_GRACE_DAYS, "0").deleteGrace()).contains(Duration.ZERO);
    }

    @Test
    void problemsSayWhatToFix() {
        assertThat(config().problems()).anyMatch(p -> p.startsWith("Organization is required"));
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.EXTENSION_RANGE, "9-1").problems())
                .anyMatch(p -> p.contains("ends before it starts"));
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.EXTENSION_RANGE, "abc").problems())
                .anyMatch(p -> p.contains("must look like 1000-8999"));
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.SCOPE, "filter").problems())
                .anyMatch(p -> p.contains("needs an OData filter"));
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.DELETE_GRACE_DAYS, "soon").problems())
                .anyMatch(p -> p.contains("whole number"));
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.EXTRA_MAPPINGS, "companyName").problems())
                .anyMatch(p -> p.contains("entraProperty=keycloakAttribute"));
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.EXTENSION_MODE, "attribute").problems())
                .anyMatch(p -> p.contains("needs the Entra property"));
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.REUSE_IDP_CREDENTIALS, "false").problems())
                .anyMatch(p -> p.startsWith("Tenant is required")).anyMatch(p -> p.startsWith("Client ID is required"))
                .anyMatch(p -> p.startsWith("Client secret is required"));
    }

    private static List<String> patternProblems(String pattern) {
        return config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.EXTENSION_MODE, "attribute",
                EntraSyncConfig.EXTENSION_SOURCE, "businessPhones[0]", EntraSyncConfig.EXTENSION_PATTERN, pattern).problems();
    }

    @Test
    void extensionPatternsThatCanBacktrackCatastrophicallyAreRefused() {
        for (String hostile : List.of("(\\d+)+$", "(\\d*)*", "(1|11)+", "^((\\d+)5)*$", "(\\d{2,3}){2,}", "(?:\\d?)+0",
                "(?<ext>\\d+)*$", "([0-9]+)+?$", "(\\d+){2}$")) {
            assertThat(patternProblems(hostile)).as(hostile)
                    .anyMatch(p -> p.startsWith("Extension pattern '" + hostile + "' can take exponential time")
                            && p.contains("Use a simpler pattern"));
        }
        assertThat(EntraSyncConfig.backtrackingRisk("^49((\\d+)0)+$")).as("a quantifier one group deeper")
                .hasValueSatisfying(p -> assertThat(p).contains("the repeated group '((\\d+)0)+' contains a quantifier"));
        assertThat(EntraSyncConfig.backtrackingRisk("(1|11)+")).hasValueSatisfying(p -> assertThat(p).contains("contains alternatives"));

        for (String fine : List.of(EntraSyncConfig.DEFAULT_EXTENSION_PATTERN, "^(\\d{3})", "(\\d{3,4})$", "^49(\\d{4})",
                "[0-9]+$", "(\\d{2}){2}$", "(?<ext>\\d{4})$", "[(+|]*(\\d{4})", "\\Q(1+)+\\E(\\d{4})", "(?i)(\\d{4})$")) {
            assertThat(patternProblems(fine)).as(fine).isEmpty();
        }
    }

    @Test
    void conditionalSettingsAreCheckedOnlyWhenTheyApply() {
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.SCOPE, "groups").problems())
                .containsExactly("Scope 'groups' needs at least one group object id (a GUID from Entra's Groups page).");
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.SCOPE, "groups", EntraSyncConfig.GROUP_IDS, "Sales",
                EntraSyncConfig.GROUP_IDS, "2f6e4c1a-0000-4000-8000-000000000001").problems())
                .containsExactly("Group 'Sales' is not an object id: use the group's Object ID (a GUID), not its name.");
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.GROUP_IDS, "Sales").problems()).as("scope all").isEmpty();
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.SCOPE, "some").problems())
                .containsExactly("Scope 'some' is unknown: use all, groups or filter.");
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.SCOPE, "some").scope()).isEqualTo(EntraSyncConfig.Scope.ALL);
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.EXTENSION_PATTERN, "(").problems())
                .as("pattern only matters in attribute mode").isEmpty();
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.EXTENSION_MODE, "attribute",
                EntraSyncConfig.EXTENSION_SOURCE, "businessPhones[0]", EntraSyncConfig.EXTENSION_PATTERN, "(").problems())
                .singleElement().asString().startsWith("Extension pattern is not a valid regular expression");
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.GUARD_MAX_USERS, "-1", EntraSyncConfig.GUARD_MAX_PERCENT, "101")
                .problems()).as("one message for both guard limits").hasSize(1).first().asString().startsWith("Guard limits");
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.CLOUD, "mars").problems())
                .containsExactly("Unknown cloud 'mars': use one of global, us-government, us-government-dod, china.");
    }

    @Test
    void ownCredentialsAreCheckedOnlyWhenUsed() {
        String[] own = {EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.REUSE_IDP_CREDENTIALS, "false",
                EntraSyncConfig.TENANT, "contoso.com", EntraSyncConfig.CLIENT_SECRET, "s"};
        assertThat(config(append(own, EntraSyncConfig.CLIENT_ID, "2f6e4c1a-0000-4000-8000-000000000001")).problems()).isEmpty();
        assertThat(config(append(own, EntraSyncConfig.CLIENT_ID, "my-app")).problems())
                .containsExactly("Client ID 'my-app' is not a GUID: copy the Application (client) ID of the app registration.");
        assertThat(config(append(own, EntraSyncConfig.CLIENT_ID, "2f6e4c1a-0000-4000-8000-000000000001",
                EntraSyncConfig.SECRET_EXPIRES_ON, "31.12.2027")).problems())
                .containsExactly("Client secret expiry '31.12.2027' is not a date: use YYYY-MM-DD as shown in the app registration's "
                        + "Certificates & secrets page.");
        assertThat(config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.SECRET_EXPIRES_ON, "31.12.2027",
                EntraSyncConfig.CLIENT_ID, "my-app").problems()).as("the IdP's credentials are used").isEmpty();
    }

    private static String[] append(String[] a, String... more) {
        String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }

    static final String README_HEADING = "## Entra user sync (user federation `entra-users`)";

    @Test
    void readmeSettingsTableIsTheDeclaredSettings() {
        assertThat(Settings.readmeRows(Path.of(""), README_HEADING)).as("README's %s settings table must be:%n%s", "sync",
                Settings.markdownTable(EntraSyncConfig.SETTINGS)).isEqualTo(Settings.markdownRows(EntraSyncConfig.SETTINGS));
    }

    @Test
    void theSecretNeverShowsInToString() {
        EntraSyncConfig c = config(EntraSyncConfig.ORGANIZATION, "o", EntraSyncConfig.CLIENT_SECRET, "s3cr3t-value");
        assertThat(c.toString()).doesNotContain("s3cr3t-value").contains("**********");
    }

    @Test
    void guardTripsAboveEitherLimit() {
        assertThat(DeletionGuard.trips(0, 10, 1, 1)).isFalse();
        assertThat(DeletionGuard.trips(51, 10_000, 50, 10)).isTrue();
        assertThat(DeletionGuard.trips(50, 10_000, 50, 10)).isFalse();
        assertThat(DeletionGuard.trips(6, 40, 50, 10)).as("15% of 40").isTrue();
        assertThat(DeletionGuard.trips(5, 50, 50, 10)).as("10% of 50 is not more than 10%").isFalse();
        assertThat(DeletionGuard.trips(1, 4, 50, 10)).as("one leaver of a tiny customer").isFalse();
        assertThat(DeletionGuard.trips(1000, 1000, 0, 0)).as("switched off").isFalse();
    }
}
