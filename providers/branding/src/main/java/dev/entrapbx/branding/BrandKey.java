package dev.entrapbx.branding;

/**
 * The realm attributes (and organization attributes, which override them on pages that know the
 * user's organization) a partner admin sets to brand the login pages and emails.
 */
public enum BrandKey {
    DISPLAY_NAME("brand.displayName", "Name shown in the page header, the title and the emails (plain text, at most 80 characters)."),
    LOGO_URL("brand.logoUrl", "Logo image: https:// (or http://) URL, or data:image/(png|jpeg|gif|webp|svg+xml);base64,..."),
    PRIMARY_COLOR("brand.primaryColor", "#rrggbb. Buttons and links; button text turns black or white for 4.5:1, links are darkened to 4.5:1."),
    ACCENT_COLOR("brand.accentColor", "#rrggbb. Header band and keyboard focus ring (darkened to 3:1 against white when needed)."),
    BACKGROUND("brand.background", "Page background: #rrggbb, or an image URL (same rules as the logo)."),
    FAVICON_URL("brand.faviconUrl", "Browser tab icon: image URL (same rules as the logo)."),
    SUPPORT_URL("brand.supportUrl", "\"Help\" link in the footer: https:// URL or mailto:address."),
    SUPPORT_PHONE("brand.supportPhone", "Support phone number shown in the footer (digits, spaces, + ( ) . / -), linked as tel:."),
    PRIVACY_URL("brand.privacyUrl", "\"Privacy\" link in the footer: https:// URL or mailto:address."),
    TERMS_URL("brand.termsUrl", "\"Terms\" link in the footer: https:// URL or mailto:address.");

    private final String key;
    private final String help;

    BrandKey(String key, String help) {
        this.key = key;
        this.help = help;
    }

    /** The attribute name, e.g. {@code brand.logoUrl}. */
    public String key() {
        return key;
    }

    /** The key without {@code brand.}: the field name in the admin console's Branding tab. */
    public String field() {
        return key.substring("brand.".length());
    }

    public String help() {
        return help;
    }
}
