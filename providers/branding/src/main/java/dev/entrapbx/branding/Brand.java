package dev.entrapbx.branding;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A partner's brand, built from realm attributes ({@link BrandKey}) with organization attributes
 * overriding them. Every value here has passed {@link SafeValues} / {@link Colour}: a value that
 * did not is replaced by the neutral default and reported in {@link #getProblems()}. Derived
 * colours meet WCAG AA: button text 4.5:1 on the primary colour, links 4.5:1 on the card, the focus
 * ring 3:1. The getters are what the theme's FreeMarker templates read as {@code brand.*}.
 */
public final class Brand {

    public static final Colour DEFAULT_PRIMARY = Colour.of("#0b5cad");
    public static final Colour DEFAULT_ACCENT = Colour.of("#1f3a5f");
    public static final Colour DEFAULT_BACKGROUND = Colour.of("#eef1f5");
    /** Card (form) background in light mode, and in keycloak.v2 dark mode (PatternFly 5 login main, BackgroundColor--300). */
    static final Colour CARD_LIGHT = Colour.WHITE;
    static final Colour CARD_DARK = Colour.of("#26292d");
    /** Fingerprints are this many bytes of the hash, in hex: 64 bits, enough against guessing over HTTP. */
    private static final int FINGERPRINT_BYTES = 8;
    private static final byte[] FINGERPRINT_LABEL = "entra-pbx brand.css organization v1\n".getBytes(StandardCharsets.UTF_8);

    private final String displayName;
    private final String logoUrl;
    private final String faviconUrl;
    private final String supportUrl;
    private final String supportPhone;
    private final String privacyUrl;
    private final String termsUrl;
    private final Colour primary;
    private final Colour accent;
    private final Colour backgroundColour;
    private final String backgroundImage;
    private final boolean fromOrganization;
    private final List<String> problems;

    private Brand(Builder b) {
        this.displayName = b.displayName;
        this.logoUrl = b.logoUrl;
        this.faviconUrl = b.faviconUrl;
        this.supportUrl = b.supportUrl;
        this.supportPhone = b.supportPhone;
        this.privacyUrl = b.privacyUrl;
        this.termsUrl = b.termsUrl;
        this.primary = b.primary;
        this.accent = b.accent;
        this.backgroundColour = b.backgroundColour;
        this.backgroundImage = b.backgroundImage;
        this.fromOrganization = b.fromOrganization;
        this.problems = List.copyOf(b.problems);
    }

    /**
     * @param realmAttributes realm attributes (other keys are ignored)
     * @param organizationAttributes attributes of the user's organization, overriding the realm's
     *        key by key; empty when the page does not know the organization
     * @param fallbackName name when {@code brand.displayName} is absent or unusable (the realm's
     *        display name or name)
     */
    public static Brand resolve(Map<String, String> realmAttributes, Map<String, String> organizationAttributes,
            String fallbackName) {
        Map<String, String> realm = realmAttributes == null ? Map.of() : realmAttributes;
        Map<String, String> org = organizationAttributes == null ? Map.of() : organizationAttributes;
        Builder b = new Builder();
        b.fromOrganization = org.keySet().stream().anyMatch(k -> k.startsWith("brand."));
        Function<BrandKey, String> raw = k -> {
            String v = org.get(k.key());
            return v != null && !v.isBlank() ? v : realm.get(k.key());
        };
        b.displayName = b.check(BrandKey.DISPLAY_NAME, raw, SafeValues::text)
                .or(() -> SafeValues.text(fallbackName)).orElse("Sign in");
        b.logoUrl = b.check(BrandKey.LOGO_URL, raw, SafeValues::imageUrl).orElse(null);
        b.faviconUrl = b.check(BrandKey.FAVICON_URL, raw, SafeValues::imageUrl).orElse(null);
        b.supportUrl = b.check(BrandKey.SUPPORT_URL, raw, SafeValues::linkUrl).orElse(null);
        b.supportPhone = b.check(BrandKey.SUPPORT_PHONE, raw, SafeValues::phone).orElse(null);
        b.privacyUrl = b.check(BrandKey.PRIVACY_URL, raw, SafeValues::linkUrl).orElse(null);
        b.termsUrl = b.check(BrandKey.TERMS_URL, raw, SafeValues::linkUrl).orElse(null);
        b.primary = b.check(BrandKey.PRIMARY_COLOR, raw, Colour::parse).orElse(DEFAULT_PRIMARY);
        b.accent = b.check(BrandKey.ACCENT_COLOR, raw, Colour::parse).orElse(DEFAULT_ACCENT);
        String bg = raw.apply(BrandKey.BACKGROUND);
        Optional<Colour> bgColour = Colour.parse(bg);
        if (bgColour.isPresent()) {
            b.backgroundColour = bgColour.get();
        } else {
            b.backgroundColour = DEFAULT_BACKGROUND;
            b.backgroundImage = b.check(BrandKey.BACKGROUND, raw, SafeValues::imageUrl).orElse(null);
            if (b.backgroundImage != null) {
                // text over an image of unknown colours sits on this dark scrim (see BrandCss)
                b.backgroundColour = Colour.of("#1f2933");
            }
        }
        return new Brand(b);
    }

    private static final class Builder {
        String displayName;
        String logoUrl;
        String faviconUrl;
        String supportUrl;
        String supportPhone;
        String privacyUrl;
        String termsUrl;
        Colour primary;
        Colour accent;
        Colour backgroundColour;
        String backgroundImage;
        boolean fromOrganization;
        final List<String> problems = new ArrayList<>();

        <T> Optional<T> check(BrandKey key, Function<BrandKey, String> raw, Function<String, Optional<T>> validator) {
            String value = raw.apply(key);
            if (value == null || value.isBlank()) {
                return Optional.empty();
            }
            Optional<T> ok = validator.apply(value);
            if (ok.isEmpty()) {
                problems.add(key.key() + ": value refused, " + describe(key));
            }
            return ok;
        }

        private static String describe(BrandKey key) {
            return switch (key) {
                case PRIMARY_COLOR, ACCENT_COLOR -> "expected #rrggbb";
                case BACKGROUND -> "expected #rrggbb or an https/http/data:image URL";
                case LOGO_URL, FAVICON_URL -> "expected an https/http URL or a base64 data:image URL";
                case SUPPORT_URL, PRIVACY_URL, TERMS_URL -> "expected an https/http URL or mailto:";
                case SUPPORT_PHONE -> "expected a phone number";
                case DISPLAY_NAME -> "empty";
            };
        }
    }

    public String getDisplayName() {
        return displayName;
    }

    public String getLogoUrl() {
        return logoUrl;
    }

    public String getFaviconUrl() {
        return faviconUrl;
    }

    public String getSupportUrl() {
        return supportUrl;
    }

    public String getSupportPhone() {
        return supportPhone;
    }

    /** {@code tel:+4930...} for the support phone, or null. */
    public String getSupportPhoneUri() {
        return supportPhone == null ? null : SafeValues.telUri(supportPhone);
    }

    public String getPrivacyUrl() {
        return privacyUrl;
    }

    public String getTermsUrl() {
        return termsUrl;
    }

    public boolean isFooterLinks() {
        return supportUrl != null || supportPhone != null || privacyUrl != null || termsUrl != null;
    }

    /** True when at least one value came from the user's organization. */
    public boolean isFromOrganization() {
        return fromOrganization;
    }

    public Colour primary() {
        return primary;
    }

    public Colour accent() {
        return accent;
    }

    public Colour backgroundColour() {
        return backgroundColour;
    }

    /** Background image URL, or null. */
    public String backgroundImage() {
        return backgroundImage;
    }

    /** Primary colour as {@code #rrggbb} (emails use it inline). */
    public String getPrimaryColor() {
        return primary.hex();
    }

    /** Text on the primary colour: black or white, whichever reaches 4.5:1. */
    public String getOnPrimaryColor() {
        return primary.readableText(Colour.AA_TEXT).hex();
    }

    /** The primary colour as link text on a white card, darkened to 4.5:1 when needed. */
    public String getLinkColor() {
        return primary.adjustedFor(CARD_LIGHT, Colour.AA_TEXT, Colour.BLACK).hex();
    }

    public String getAccentColor() {
        return accent.hex();
    }

    public String getOnAccentColor() {
        return accent.readableText(Colour.AA_TEXT).hex();
    }

    /** Values that were refused, for the log and the admin report; empty when all is well. */
    public List<String> getProblems() {
        return problems;
    }

    /** The stylesheet for this brand (see {@link BrandCss}). */
    public String css() {
        return BrandCss.render(this);
    }

    /**
     * Content hash of the stylesheet (SHA-256, first 8 bytes, hex): the ETag and cache-busting
     * {@code v} of the realm's brand. Anyone can compute it from the stylesheet, which every login
     * page of the realm shows anyway; that is why it never unlocks an organization's brand
     * ({@link #fingerprint(byte[], String)} does).
     */
    public String fingerprint() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(css().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, FINGERPRINT_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Keyed fingerprint of an organization's stylesheet: HMAC-SHA256 under {@code key} (the realm's
     * active HMAC key, {@link BrandResolver#fingerprintKey}) over a label, the organization's alias
     * and the stylesheet, first 8 bytes, hex. It is the ETag and {@code v} of the organization's
     * stylesheet and the only thing that unlocks it: an outsider who guesses an alias and its
     * public colours still cannot compute it, so {@code ?org=} confirms nothing. The alias is part
     * of the input, so one organization's {@code v} does not unlock another with the same colours,
     * and the label keeps these values apart from anything else made with the realm's key.
     */
    public String fingerprint(byte[] key, String organizationAlias) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(FINGERPRINT_LABEL);
            // length-prefixed, so no alias can run into the stylesheet
            byte[] alias = organizationAlias.getBytes(StandardCharsets.UTF_8);
            mac.update((alias.length + ":").getBytes(StandardCharsets.UTF_8));
            mac.update(alias);
            byte[] d = mac.doFinal(css().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, FINGERPRINT_BYTES);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
