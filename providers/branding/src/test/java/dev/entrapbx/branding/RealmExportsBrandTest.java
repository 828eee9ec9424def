package dev.entrapbx.branding;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped realms (demo, partner template) use the theme and brand values that pass validation. */
class RealmExportsBrandTest {

    private static final Path EXPORTS = Path.of("../../realm-exports");

    @ParameterizedTest
    @ValueSource(strings = {"demo-realm.json", "partner-realm-template.json"})
    void brandAttributesAreValidAndTheThemeIsSet(String file) throws Exception {
        JsonNode realm = new ObjectMapper().readTree(Files.readString(EXPORTS.resolve(file)));
        assertThat(realm.path("loginTheme").asText()).isEqualTo("entra-pbx");
        assertThat(realm.path("emailTheme").asText()).isEqualTo("entra-pbx");
        Map<String, String> attributes = new LinkedHashMap<>();
        realm.path("attributes").properties().forEach(e -> attributes.put(e.getKey(), e.getValue().asText()));
        assertThat(attributes.keySet()).as("every documented key is set")
                .contains(java.util.Arrays.stream(BrandKey.values()).filter(k -> k != BrandKey.FAVICON_URL || file.startsWith("partner"))
                        .map(BrandKey::key).toArray(String[]::new));
        Brand brand = Brand.resolve(attributes, Map.of(), realm.path("realm").asText());
        assertThat(brand.getProblems()).isEmpty();
        assertThat(brand.getLogoUrl()).isNotNull();
    }
}
