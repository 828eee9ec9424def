package dev.entrapbx.branding;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET|PUT /admin/realms/{realm}/brand}: the brand.* attributes as stored, the
 * values in effect and the refused ones. A null field is left out (as Keycloak's JSON does for
 * every answer).
 *
 * @param attributes brand.* realm attributes as stored (only the keys that are set)
 * @param effective  what the login pages use
 * @param problems   one sentence per refused value; empty when all is well
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BrandRepresentation(Map<String, String> attributes, Effective effective, List<String> problems) {

    /** The values a {@link Brand} puts in effect; {@code background} is the image URL, else the colour. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Effective(String displayName, String logoUrl, String faviconUrl, String primaryColor, String onPrimaryColor,
                            String linkColor, String accentColor, String background, String supportUrl, String supportPhone,
                            String privacyUrl, String termsUrl) {

        public static Effective of(Brand b) {
            return new Effective(b.getDisplayName(), b.getLogoUrl(), b.getFaviconUrl(), b.getPrimaryColor(), b.getOnPrimaryColor(),
                    b.getLinkColor(), b.getAccentColor(), b.backgroundImage() != null ? b.backgroundImage() : b.backgroundColour().hex(),
                    b.getSupportUrl(), b.getSupportPhone(), b.getPrivacyUrl(), b.getTermsUrl());
        }
    }

    public static BrandRepresentation of(Map<String, String> stored, Brand brand) {
        return new BrandRepresentation(stored, Effective.of(brand), brand.getProblems());
    }
}
