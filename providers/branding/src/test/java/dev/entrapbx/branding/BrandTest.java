package dev.entrapbx.branding;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrandTest {

    private static final String HOSTILE = "</style><script>alert(1)</script>";

    @Test
    void missingValuesFallBackToTheNeutralDefault() {
        Brand b = Brand.resolve(Map.of(), Map.of(), "Demo Realm");
        assertThat(b.getDisplayName()).isEqualTo("Demo Realm");
        assertThat(b.getLogoUrl()).isNull();
        assertThat(b.getPrimaryColor()).isEqualTo(Brand.DEFAULT_PRIMARY.hex());
        assertThat(b.getAccentColor()).isEqualTo(Brand.DEFAULT_ACCENT.hex());
        assertThat(b.backgroundColour()).isEqualTo(Brand.DEFAULT_BACKGROUND);
        assertThat(b.isFooterLinks()).isFalse();
        assertThat(b.getProblems()).isEmpty();
        // the neutral default itself meets AA
        assertThat(Brand.DEFAULT_PRIMARY.contrast(Colour.WHITE)).isGreaterThanOrEqualTo(Colour.AA_TEXT);
        String onBackground = between(b.css(), "--brand-on-background: ", ";");
        assertThat(Brand.DEFAULT_BACKGROUND.contrast(Colour.of(onBackground))).isGreaterThanOrEqualTo(Colour.AA_TEXT);
    }

    @Test
    void validValuesAreUsed() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("brand.displayName", "Partner A Voice");
        a.put("brand.logoUrl", "https://cdn.partner-a.example/logo.svg");
        a.put("brand.primaryColor", "#C8102E");
        a.put("brand.accentColor", "#00205b");
        a.put("brand.background", "#f5f0e6");
        a.put("brand.supportUrl", "https://help.partner-a.example");
        a.put("brand.supportPhone", "+44 20 7946 0000");
        a.put("brand.privacyUrl", "https://partner-a.example/privacy");
        a.put("brand.termsUrl", "mailto:legal@partner-a.example");
        a.put("unrelated", "x");
        Brand b = Brand.resolve(a, Map.of(), "partner-a");
        assertThat(b.getProblems()).isEmpty();
        assertThat(b.getDisplayName()).isEqualTo("Partner A Voice");
        assertThat(b.getLogoUrl()).isEqualTo("https://cdn.partner-a.example/logo.svg");
        assertThat(b.getPrimaryColor()).isEqualTo("#c8102e");
        assertThat(b.getOnPrimaryColor()).isEqualTo("#ffffff");
        assertThat(b.getSupportPhoneUri()).isEqualTo("tel:+442079460000");
        assertThat(b.getTermsUrl()).isEqualTo("mailto:legal@partner-a.example");
        assertThat(b.isFooterLinks()).isTrue();
    }

    @Test
    void hostileValuesAreRefusedReportedAndNeverReachTheCss() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("brand.logoUrl", "javascript:alert(1)");
        a.put("brand.faviconUrl", "https://x.example/f.ico\"><script>alert(1)</script>");
        a.put("brand.primaryColor", "#000000;}" + HOSTILE);
        a.put("brand.accentColor", "red");
        a.put("brand.background", "url(javascript:alert(1))");
        a.put("brand.supportUrl", "javascript:alert(1)");
        a.put("brand.supportPhone", HOSTILE);
        a.put("brand.privacyUrl", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==");
        a.put("brand.termsUrl", "vbscript:x");
        Brand b = Brand.resolve(a, Map.of(), "safe");
        assertThat(b.getLogoUrl()).isNull();
        assertThat(b.getFaviconUrl()).isNull();
        assertThat(b.getSupportUrl()).isNull();
        assertThat(b.getSupportPhone()).isNull();
        assertThat(b.getPrivacyUrl()).isNull();
        assertThat(b.getTermsUrl()).isNull();
        assertThat(b.getPrimaryColor()).isEqualTo(Brand.DEFAULT_PRIMARY.hex());
        assertThat(b.backgroundImage()).isNull();
        assertThat(b.getProblems()).hasSize(9).allSatisfy(p -> assertThat(p).startsWith("brand.").doesNotContain("<", "javascript"));
        String css = b.css();
        assertThat(css).doesNotContain("<", ">", "javascript", "script", "\\", "red;");
        assertThat(css).isEqualTo(Brand.resolve(Map.of(), Map.of(), "safe").css());
    }

    @Test
    void theDisplayNameStaysTextForTheTemplatesToEscape() {
        Brand b = Brand.resolve(Map.of("brand.displayName", HOSTILE), Map.of(), "x");
        assertThat(b.getDisplayName()).isEqualTo(HOSTILE);
        assertThat(b.css()).doesNotContain("script");
    }

    @Test
    void organizationValuesOverrideTheRealmKeyByKey() {
        Map<String, String> realm = Map.of("brand.displayName", "Partner A", "brand.primaryColor", "#c8102e",
                "brand.supportPhone", "+44 20 7946 0000");
        Brand b = Brand.resolve(realm, Map.of("brand.displayName", "Contoso Phones", "brand.primaryColor", " "), "p");
        assertThat(b.getDisplayName()).isEqualTo("Contoso Phones");
        assertThat(b.getPrimaryColor()).isEqualTo("#c8102e"); // blank org value: realm's stays
        assertThat(b.getSupportPhone()).isEqualTo("+44 20 7946 0000");
        assertThat(b.isFromOrganization()).isTrue();
        // an invalid organization value falls back to the neutral default, not to the realm's
        Brand bad = Brand.resolve(realm, Map.of("brand.primaryColor", "blue"), "p");
        assertThat(bad.getPrimaryColor()).isEqualTo(Brand.DEFAULT_PRIMARY.hex());
        assertThat(bad.getProblems()).singleElement().asString().startsWith("brand.primaryColor");
    }

    @Test
    void lowContrastBrandColoursGetAdjustedTextAndLinkColours() {
        Brand yellow = Brand.resolve(Map.of("brand.primaryColor", "#ffd400", "brand.accentColor", "#ffe680"), Map.of(), "y");
        assertThat(yellow.getOnPrimaryColor()).isEqualTo("#000000");
        Colour link = Colour.of(yellow.getLinkColor());
        assertThat(link.contrast(Colour.WHITE)).isGreaterThanOrEqualTo(Colour.AA_TEXT);
        assertThat(yellow.css()).contains("--brand-primary: #ffd400;", "--brand-on-primary: #000000;",
                "--brand-link: " + link.hex() + ";");
        String focus = between(yellow.css(), "--brand-focus: ", ";");
        assertThat(Colour.of(focus).contrast(Colour.WHITE)).isGreaterThanOrEqualTo(Colour.AA_NON_TEXT);
        String linkDark = between(yellow.css(), "--brand-link-dark: ", ";");
        assertThat(Colour.of(linkDark).contrast(Brand.CARD_DARK)).isGreaterThanOrEqualTo(Colour.AA_TEXT);
    }

    @Test
    void backgroundIsAColourOrAnImageOverADarkScrim() {
        Brand colour = Brand.resolve(Map.of("brand.background", "#102030"), Map.of(), "c");
        assertThat(colour.css()).contains("--brand-background: #102030;", "--brand-background-image: none;",
                "--brand-on-background: #ffffff;");
        Brand image = Brand.resolve(Map.of("brand.background", "https://cdn.example/bg.jpg"), Map.of(), "i");
        assertThat(image.css()).contains("--brand-background-image: url(\"https://cdn.example/bg.jpg\");",
                "--brand-on-background: #ffffff;", "--brand-header-scrim: rgba(0, 0, 0, 0.62);");
        Brand refused = Brand.resolve(Map.of("brand.background", "javascript:alert(1)"), Map.of(), "r");
        assertThat(refused.css()).contains("--brand-background-image: none;");
        assertThat(refused.getProblems()).singleElement().asString().startsWith("brand.background");
    }

    @Test
    void fingerprintChangesWithTheBrandOnly() {
        Brand a = Brand.resolve(Map.of("brand.primaryColor", "#112233"), Map.of(), "a");
        Brand a2 = Brand.resolve(Map.of("brand.primaryColor", "#112233", "brand.displayName", "other"), Map.of(), "a");
        Brand b = Brand.resolve(Map.of("brand.primaryColor", "#112234"), Map.of(), "a");
        assertThat(a.fingerprint()).hasSize(16).isEqualTo(a2.fingerprint()).isNotEqualTo(b.fingerprint());
    }

    @Test
    void organizationFingerprintsAreKeyedStableAndBoundToTheAlias() {
        Brand acme = Brand.resolve(Map.of("brand.primaryColor", "#112233"), Map.of("brand.primaryColor", "#1565c0"), "a");
        Brand sameColours = Brand.resolve(Map.of(), Map.of("brand.primaryColor", "#1565c0"), "other");
        Brand otherColours = Brand.resolve(Map.of(), Map.of("brand.primaryColor", "#1565c1"), "a");
        byte[] key = "k".repeat(64).getBytes(StandardCharsets.UTF_8);
        byte[] otherKey = "K".repeat(64).getBytes(StandardCharsets.UTF_8);

        String keyed = acme.fingerprint(key, "acme");
        assertThat(keyed).hasSize(16).matches("[0-9a-f]{16}")
                .as("same values, key and alias: stable").isEqualTo(acme.fingerprint(key.clone(), "acme"))
                .as("the same stylesheet from another realm's brand").isEqualTo(sameColours.fingerprint(key, "acme"))
                .as("another key").isNotEqualTo(acme.fingerprint(otherKey, "acme"))
                .as("another alias").isNotEqualTo(acme.fingerprint(key, "acme2")).isNotEqualTo(acme.fingerprint(key, "acm"))
                .as("other values").isNotEqualTo(otherColours.fingerprint(key, "acme"))
                .as("the unkeyed hash an outsider can compute").isNotEqualTo(acme.fingerprint());
        // the unkeyed fingerprint is a plain SHA-256 of the public stylesheet: anyone can compute it
        assertThat(acme.fingerprint()).isEqualTo(sha256Prefix(acme.css())).isEqualTo(sameColours.fingerprint());
    }

    static String sha256Prefix(String s) {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void cssUrlEscapingIsASecondLineOfDefence() {
        assertThat(BrandCss.cssUrl("https://x.example/a\"b)c\\d<e")).isEqualTo("url(\"https://x.example/a\\22 b\\29 c\\5c d\\3c e\")");
    }

    @Test
    void everyKeyIsDocumentedWithTheBrandPrefix() {
        assertThat(List.of(BrandKey.values())).allSatisfy(k -> {
            assertThat(k.key()).startsWith("brand.");
            assertThat(k.help()).isNotBlank();
        });
    }

    private static String between(String s, String start, String end) {
        int i = s.indexOf(start) + start.length();
        return s.substring(i, s.indexOf(end, i));
    }
}
