package dev.entrapbx.branding;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An sRGB colour written as {@code #rrggbb}, with the WCAG 2.x relative luminance and contrast
 * ratio. The only colour syntax a brand attribute accepts: nothing else can reach the CSS.
 */
public record Colour(int r, int g, int b) {

    /** WCAG 2.x AA for normal text. */
    public static final double AA_TEXT = 4.5;
    /** WCAG 2.x AA for user-interface components and focus indicators (1.4.11). */
    public static final double AA_NON_TEXT = 3.0;

    public static final Colour WHITE = new Colour(255, 255, 255);
    public static final Colour BLACK = new Colour(0, 0, 0);

    private static final Pattern HEX = Pattern.compile("#[0-9a-fA-F]{6}");

    public Colour {
        if (r < 0 || r > 255 || g < 0 || g > 255 || b < 0 || b > 255) {
            throw new IllegalArgumentException("channel out of range");
        }
    }

    /** {@code #rrggbb} (case-insensitive, surrounding blanks ignored); anything else is empty. */
    public static Optional<Colour> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip();
        if (!HEX.matcher(v).matches()) {
            return Optional.empty();
        }
        int rgb = Integer.parseInt(v.substring(1), 16);
        return Optional.of(new Colour((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff));
    }

    public static Colour of(String hex) {
        return parse(hex).orElseThrow(() -> new IllegalArgumentException("not #rrggbb: " + hex));
    }

    /** WCAG relative luminance, 0 (black) to 1 (white). */
    public double luminance() {
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    }

    private static double linear(int channel) {
        double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    /** WCAG contrast ratio, 1 to 21, symmetric. */
    public double contrast(Colour other) {
        double a = luminance();
        double b2 = other.luminance();
        return (Math.max(a, b2) + 0.05) / (Math.min(a, b2) + 0.05);
    }

    /** This colour moved {@code fraction} (0..1) of the way towards {@code target}. */
    public Colour mix(Colour target, double fraction) {
        double f = Math.max(0, Math.min(1, fraction));
        return new Colour((int) Math.round(r + (target.r - r) * f), (int) Math.round(g + (target.g - g) * f),
                (int) Math.round(b + (target.b - b) * f));
    }

    /**
     * The text colour for this background: white when white reaches {@code ratio}, else black.
     * One of the two always reaches 4.5:1 (the worst case is about 4.58:1).
     */
    public Colour readableText(double ratio) {
        return contrast(WHITE) >= ratio ? WHITE : BLACK;
    }

    /**
     * This colour, darkened (or lightened, towards {@code towards}) in small steps until it reaches
     * {@code ratio} against {@code background}; unchanged when it already does.
     */
    public Colour adjustedFor(Colour background, double ratio, Colour towards) {
        Colour c = this;
        for (int step = 1; c.contrast(background) < ratio && step <= 20; step++) {
            c = mix(towards, step / 20.0);
        }
        return c;
    }

    public String hex() {
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    @Override
    public String toString() {
        return hex();
    }
}
