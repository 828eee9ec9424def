package dev.entrapbx.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;

class EntraUserMapperTest {

    private static EntraSyncConfig config(String... kv) {
        MultivaluedHashMap<String, String> m = new MultivaluedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.add(kv[i], kv[i + 1]);
        }
        m.putSingle(EntraSyncConfig.ORGANIZATION, "contoso");
        return new EntraSyncConfig(m);
    }

    private static EntraUser user(Map<String, List<String>> p) {
        return new EntraUser("11111111-2222-3333-4444-555555555555", null, p);
    }

    @Test
    void usernameIsTheLowerCasedUpnOrMail() {
        Map<String, List<String>> p = Map.of("userPrincipalName", List.of("Ann.Lee@Contoso.com"), "mail", List.of("ann@contoso.com"));
        assertThat(new EntraUserMapper(config()).username(user(p))).contains("ann.lee@contoso.com");
        assertThat(new EntraUserMapper(config(EntraSyncConfig.USERNAME_SOURCE, "mail")).username(user(p))).contains("ann@contoso.com");
        assertThat(new EntraUserMapper(config(EntraSyncConfig.USERNAME_SOURCE, "mail")).username(user(Map.of()))).isEmpty();
    }

    @Test
    void clearedPropertiesBecomeEmptyValuesSoTheAttributeIsRemoved() {
        Map<String, List<String>> attrs = new EntraUserMapper(config()).attributes(user(Map.of("jobTitle", List.of("Lead"))), "tid");
        assertThat(attrs.get("jobTitle")).containsExactly("Lead");
        assertThat(attrs.get("department")).isEmpty();
        assertThat(attrs.get(EntraUserMapper.ATTR_TENANT)).containsExactly("tid");
        assertThat(attrs.get("entraExtensionAttribute15")).isEmpty();
    }

    @Test
    void extraMappingsReadIndexedAndNestedProperties() {
        EntraUserMapper m = new EntraUserMapper(config(EntraSyncConfig.EXTRA_MAPPINGS, "businessPhones[1]=phone2",
                EntraSyncConfig.EXTRA_MAPPINGS, "companyName=company"));
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("businessPhones", List.of("+1 1", "+1 2"));
        p.put("companyName", List.of("Contoso Ltd"));
        Map<String, List<String>> attrs = m.attributes(user(p), "t");
        assertThat(attrs.get("phone2")).containsExactly("+1 2");
        assertThat(attrs.get("company")).containsExactly("Contoso Ltd");
        assertThat(m.selectedProperties()).contains("companyName", "businessPhones", "onPremisesExtensionAttributes")
                .doesNotHaveDuplicates();
    }

    @Test
    void extensionCandidateIsTheMatchedDigitsOfTheSource() {
        EntraUserMapper last4 = new EntraUserMapper(config(EntraSyncConfig.EXTENSION_MODE, "attribute",
                EntraSyncConfig.EXTENSION_SOURCE, "businessPhones[0]"));
        assertThat(last4.extensionCandidate(user(Map.of("businessPhones", List.of("+49 (89) 1234-4711"))))).contains("4711");
        assertThat(last4.extensionCandidate(user(Map.of("businessPhones", List.of("0042"))))).contains("0042");
        assertThat(last4.extensionCandidate(user(Map.of("businessPhones", List.of("12"))))).isEmpty();
        assertThat(last4.extensionCandidate(user(Map.of()))).isEmpty();

        EntraUserMapper attr = new EntraUserMapper(config(EntraSyncConfig.EXTENSION_MODE, "attribute",
                EntraSyncConfig.EXTENSION_SOURCE, "extensionAttribute1", EntraSyncConfig.EXTENSION_PATTERN, "^(\\d{3})"));
        assertThat(attr.extensionCandidate(user(Map.of("extensionAttribute1", List.of("ext 201 / room 4"))))).contains("201");

        EntraUserMapper range = new EntraUserMapper(config());
        assertThat(range.extensionCandidate(user(Map.of("businessPhones", List.of("+1 555 0101"))))).as("range mode").isEmpty();
    }

    @Test
    void digitsLongerThanTheCapGiveNoCandidate() {
        EntraUserMapper last4 = new EntraUserMapper(config(EntraSyncConfig.EXTENSION_MODE, "attribute",
                EntraSyncConfig.EXTENSION_SOURCE, "extensionAttribute1"));
        String atCap = "9".repeat(EntraUserMapper.EXTENSION_INPUT_MAX - 4) + "4711";
        assertThat(last4.extensionCandidate(user(Map.of("extensionAttribute1", List.of(atCap))))).contains("4711");
        assertThat(last4.extensionCandidate(user(Map.of("extensionAttribute1", List.of("9" + atCap))))).as("one digit too many").isEmpty();
    }

    @Test
    void aHostileInputOnAPermittedPatternEndsQuicklyWithoutACandidate() {
        // polynomial backtracking (eight adjacent \d*): the static check lets it through, the step budget stops it
        String permitted = "^\\d*\\d*\\d*\\d*\\d*\\d*\\d*\\d*0$";
        assertThat(EntraSyncConfig.backtrackingRisk(permitted)).isEmpty();
        EntraUserMapper mapper = new EntraUserMapper(config(EntraSyncConfig.EXTENSION_MODE, "attribute",
                EntraSyncConfig.EXTENSION_SOURCE, "extensionAttribute1", EntraSyncConfig.EXTENSION_PATTERN, permitted));
        String hostile = "1".repeat(EntraUserMapper.EXTENSION_INPUT_MAX - 1) + "2"; // never ends in 0: every split is tried
        assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
                assertThat(mapper.extensionCandidate(user(Map.of("extensionAttribute1", List.of(hostile))))).isEmpty());
        assertThat(mapper.extensionCandidate(user(Map.of("extensionAttribute1", List.of("ext 4710")))))
                .as("the same pattern still works on an ordinary value").contains("4710");

        // a pattern save refuses, stored before the rule existed (the sync does not re-validate): stopped the same way
        String storedPattern = "^(\\d*\\d*\\d*\\d*\\d*\\d*\\d*\\d*)+0$";
        assertThat(EntraSyncConfig.backtrackingRisk(storedPattern)).isPresent();
        EntraUserMapper stored = new EntraUserMapper(config(EntraSyncConfig.EXTENSION_MODE, "attribute",
                EntraSyncConfig.EXTENSION_SOURCE, "extensionAttribute1", EntraSyncConfig.EXTENSION_PATTERN, storedPattern));
        assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
                assertThat(stored.extensionCandidate(user(Map.of("extensionAttribute1", List.of(hostile))))).isEmpty());
    }
}
