package dev.entrapbx.branding;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Allow-list checks for brand values that end up in HTML attributes, CSS {@code url()} and emails.
 * A value that fails is dropped (the caller falls back to the neutral default); nothing is
 * "repaired", so a hostile value never reaches a page in any form.
 */
public final class SafeValues {

    /** Longest accepted http(s)/mailto URL. */
    static final int MAX_URL = 2048;
    /** Longest accepted data: image URL (about 96 KiB of image). */
    static final int MAX_DATA_URL = 131_072;
    static final int MAX_TEXT = 80;

    /**
     * Characters refused anywhere in a URL: they could end a CSS string, an HTML attribute or a
     * {@code url()} token, or hide a scheme. Legitimate URLs percent-encode them.
     */
    private static final Pattern URL_FORBIDDEN = Pattern.compile("[\\s\"'`<>()\\\\{};\\p{Cntrl}]");
    private static final Pattern DATA_IMAGE = Pattern.compile(
            "data:image/(png|jpeg|gif|webp|svg\\+xml);base64,[A-Za-z0-9+/]+={0,2}");
    private static final Pattern MAILTO = Pattern.compile("mailto:[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 ()./-]{3,30}");

    private SafeValues() {
    }

    /** An absolute {@code https://} or {@code http://} URL with a host; nothing else. */
    public static Optional<String> webUrl(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.isEmpty() || v.length() > MAX_URL || URL_FORBIDDEN.matcher(v).find()) {
            return Optional.empty();
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(v);
            if (uri.getRawUserInfo() != null || uri.getHost() == null || !HOST.matcher(uri.getHost()).matches()) {
                return Optional.empty();
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http")) {
                return Optional.empty();
            }
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        return Optional.of(v);
    }

    /** An image source: a web URL, or a base64 {@code data:image/(png|jpeg|gif|webp|svg+xml)} URL. */
    public static Optional<String> imageUrl(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.regionMatches(true, 0, "data:", 0, 5)) {
            return v.length() <= MAX_DATA_URL && DATA_IMAGE.matcher(v).matches() ? Optional.of(v) : Optional.empty();
        }
        return webUrl(v);
    }

    /** A link target: a web URL or a plain {@code mailto:} address. */
    public static Optional<String> linkUrl(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.regionMatches(true, 0, "mailto:", 0, 7)) {
            return v.length() <= MAX_URL && MAILTO.matcher(v).matches() ? Optional.of(v) : Optional.empty();
        }
        return webUrl(v);
    }

    /** A phone number as people write it ({@code +49 30 1234-567}), at least 3 digits. */
    public static Optional<String> phone(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip();
        if (!PHONE.matcher(v).matches() || v.chars().filter(Character::isDigit).count() < 3) {
            return Optional.empty();
        }
        return Optional.of(v);
    }

    /** {@code tel:} URI of an accepted phone number: its digits, with the leading + kept. */
    public static String telUri(String phone) {
        StringBuilder sb = new StringBuilder("tel:");
        if (phone.startsWith("+")) {
            sb.append('+');
        }
        phone.chars().filter(Character::isDigit).forEach(c -> sb.append((char) c));
        return sb.toString();
    }

    /**
     * Plain text (a display name): control characters removed, blanks collapsed, at most
     * {@value #MAX_TEXT} characters. Markup is NOT removed here: the templates escape it, so
     * {@code <b>} shows as the four characters it is.
     */
    public static Optional<String> text(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.replaceAll("\\p{Cntrl}", " ").replaceAll("\\s+", " ").strip();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.codePointCount(0, v.length()) > MAX_TEXT) {
            v = v.substring(0, v.offsetByCodePoints(0, MAX_TEXT)).strip();
        }
        return Optional.of(v);
    }
}
