package dev.entrapbx.branding;

/**
 * The brand stylesheet: CSS custom properties only, each a {@link Colour#hex()} or a URL that
 * {@link SafeValues} accepted (no quote, parenthesis, backslash, blank or angle bracket can be in
 * it), so no brand value can close the declaration, the rule or a {@code <style>} element. The
 * rules that use the properties are static, in the theme's {@code css/entra-pbx.css}.
 */
public final class BrandCss {

    private BrandCss() {
    }

    public static String render(Brand brand) {
        Colour primary = brand.primary();
        Colour hover = primary.mix(Colour.BLACK, 0.18);
        Colour accent = brand.accent();
        Colour bg = brand.backgroundColour();
        boolean image = brand.backgroundImage() != null;
        StringBuilder css = new StringBuilder(1024);
        css.append("/* entra-pbx brand: generated from the realm's brand.* attributes */\n:root {\n");
        prop(css, "--brand-primary", primary.hex());
        prop(css, "--brand-on-primary", primary.readableText(Colour.AA_TEXT).hex());
        prop(css, "--brand-primary-hover", hover.hex());
        prop(css, "--brand-on-primary-hover", hover.readableText(Colour.AA_TEXT).hex());
        prop(css, "--brand-link", brand.getLinkColor());
        prop(css, "--brand-link-dark", primary.adjustedFor(Brand.CARD_DARK, Colour.AA_TEXT, Colour.WHITE).hex());
        prop(css, "--brand-accent", accent.hex());
        prop(css, "--brand-on-accent", accent.readableText(Colour.AA_TEXT).hex());
        prop(css, "--brand-focus", accent.adjustedFor(Brand.CARD_LIGHT, Colour.AA_NON_TEXT, Colour.BLACK).hex());
        prop(css, "--brand-focus-dark", accent.adjustedFor(Brand.CARD_DARK, Colour.AA_NON_TEXT, Colour.WHITE).hex());
        prop(css, "--brand-background", bg.hex());
        prop(css, "--brand-background-image", image ? cssUrl(brand.backgroundImage()) : "none");
        // header text over a colour: black or white for 4.5:1; over an image: white on a dark scrim
        prop(css, "--brand-on-background", image ? "#ffffff" : bg.readableText(Colour.AA_TEXT).hex());
        prop(css, "--brand-header-scrim", image ? "rgba(0, 0, 0, 0.62)" : "transparent");
        css.append("}\n");
        return css.toString();
    }

    private static void prop(StringBuilder css, String name, String value) {
        css.append("  ").append(name).append(": ").append(value).append(";\n");
    }

    /**
     * {@code url("...")} of an accepted URL. The escaping is a second line of defence: accepted
     * URLs contain none of the escaped characters.
     */
    static String cssUrl(String url) {
        StringBuilder sb = new StringBuilder("url(\"");
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '"' || c == '\\' || c == '<' || c == '>' || c == '\'' || c == '(' || c == ')' || c < 0x20 || c == 0x7f) {
                sb.append('\\').append(Integer.toHexString(c)).append(' ');
            } else {
                sb.append(c);
            }
        }
        return sb.append("\")").toString();
    }
}
