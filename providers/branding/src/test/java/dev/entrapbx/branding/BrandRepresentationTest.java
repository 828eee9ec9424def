package dev.entrapbx.branding;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.services.util.ObjectMapperResolver;

/** The admin answer writes the same JSON as the Map the resource built before, with Keycloak's own JAX-RS mapper. */
class BrandRepresentationTest {

    /** What Keycloak writes REST answers with (null fields and null map values left out). */
    private static final ObjectMapper KEYCLOAK = new ObjectMapperResolver().getContext(Object.class);

    @Test
    void sameJsonAsTheMapBeforeWithRefusedAndAbsentValues() throws Exception {
        Map<String, String> stored = new LinkedHashMap<>();
        stored.put("brand.displayName", "Partner A Voice");
        stored.put("brand.primaryColor", "green");
        stored.put("brand.logoUrl", "javascript:alert(1)");
        Brand brand = Brand.resolve(stored, Map.of(), "partner-a");
        assertThat(brand.getLogoUrl()).as("sample has null values").isNull();
        assertThat(brand.getProblems()).as("sample has problems").isNotEmpty();

        String json = KEYCLOAK.writeValueAsString(BrandRepresentation.of(stored, brand));
        assertThat(json).isEqualTo(KEYCLOAK.writeValueAsString(mapBefore(stored, brand)));
        assertThat(json).startsWith("{\"attributes\":{\"brand.displayName\":\"Partner A Voice\",").doesNotContain("null");
        assertThat(KEYCLOAK.readTree(json).path("effective").has("logoUrl")).as("null is left out, as before").isFalse();
    }

    @Test
    void sameJsonAsTheMapBeforeWithEverySetAndABackgroundImage() throws Exception {
        Map<String, String> stored = new LinkedHashMap<>();
        stored.put("brand.displayName", "Gamma");
        stored.put("brand.logoUrl", "https://cdn.gamma.example/logo.svg");
        stored.put("brand.faviconUrl", "https://cdn.gamma.example/f.ico");
        stored.put("brand.primaryColor", "#2e7d32");
        stored.put("brand.background", "https://cdn.gamma.example/bg.jpg");
        stored.put("brand.supportUrl", "https://help.gamma.example");
        stored.put("brand.supportPhone", "+44 20 7946 0000");
        stored.put("brand.privacyUrl", "https://gamma.example/privacy");
        stored.put("brand.termsUrl", "https://gamma.example/terms");
        Brand brand = Brand.resolve(stored, Map.of(), "gamma");

        String json = KEYCLOAK.writeValueAsString(BrandRepresentation.of(stored, brand));
        assertThat(json).isEqualTo(KEYCLOAK.writeValueAsString(mapBefore(stored, brand)));
        assertThat(KEYCLOAK.readTree(json).path("effective").path("primaryColor").asText()).isEqualTo("#2e7d32");
        assertThat(KEYCLOAK.readTree(json).path("problems").size()).isZero();
    }

    /** The resource's answer before representation classes, verbatim. */
    private static Map<String, Object> mapBefore(Map<String, String> stored, Brand b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("displayName", b.getDisplayName());
        m.put("logoUrl", b.getLogoUrl());
        m.put("faviconUrl", b.getFaviconUrl());
        m.put("primaryColor", b.getPrimaryColor());
        m.put("onPrimaryColor", b.getOnPrimaryColor());
        m.put("linkColor", b.getLinkColor());
        m.put("accentColor", b.getAccentColor());
        m.put("background", b.backgroundImage() != null ? b.backgroundImage() : b.backgroundColour().hex());
        m.put("supportUrl", b.getSupportUrl());
        m.put("supportPhone", b.getSupportPhone());
        m.put("privacyUrl", b.getPrivacyUrl());
        m.put("termsUrl", b.getTermsUrl());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attributes", stored);
        out.put("effective", m);
        out.put("problems", b.getProblems());
        return out;
    }
}
