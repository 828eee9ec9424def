package dev.entrapbx.sync.contacts;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Phone numbers as the PBX matches them: E.164 through libphonenumber, with the phone system's
 * default region for national formats ({@code (020) 7946 0958} in GB is {@code +442079460958}),
 * international prefixes ({@code 0049 30 ...}, {@code 011 ...} from the US) and {@code +}. A text
 * that is not a possible number keeps only its digits, so it stays searchable; the original text is
 * always kept by the caller.
 */
public final class PhoneNumbers {

    /** The region used when a phone system has none configured. */
    public static final String DEFAULT_REGION = "US";

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final int MAX_TEXT = 64;

    private PhoneNumbers() {
    }

    /** One number: {@code e164} when it parses to a possible number, else null; {@code digits}: its digits only (may be empty). */
    public record Normalised(String original, String e164, String digits) {

        public boolean parsed() {
            return e164 != null;
        }
    }

    /** The two-letter regions libphonenumber knows (ISO 3166-1 alpha-2), for validating the setting. */
    public static Set<String> regions() {
        return UTIL.getSupportedRegions();
    }

    /** {@code region} upper-cased when libphonenumber knows it; empty otherwise. */
    public static Optional<String> region(String region) {
        if (region == null || region.isBlank()) {
            return Optional.empty();
        }
        String r = region.trim().toUpperCase(Locale.ROOT);
        return UTIL.getSupportedRegions().contains(r) ? Optional.of(r) : Optional.empty();
    }

    /**
     * {@code text} in E.164, read with {@code region} for national formats. Texts longer than 64
     * characters are not parsed (a phone field holding a note); their digits are still kept.
     */
    public static Normalised normalise(String text, String region) {
        String original = text == null ? "" : text.trim();
        String digits = digits(original);
        if (original.isEmpty() || original.length() > MAX_TEXT || digits.length() < 3) {
            return new Normalised(original, null, digits);
        }
        String r = region(region).orElse(DEFAULT_REGION);
        try {
            Phonenumber.PhoneNumber number = UTIL.parse(original, r);
            if (!UTIL.isPossibleNumber(number)) {
                return new Normalised(original, null, digits);
            }
            // an extension (";ext=12", "x12") is not part of the number the PBX sees calling in
            number.clearExtension();
            return new Normalised(original, UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164), digits);
        } catch (NumberParseException e) {
            return new Normalised(original, null, digits);
        }
    }

    /** The ASCII digits of {@code text} (other Unicode digits converted), nothing else. */
    public static String digits(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            int d = Character.digit(text.charAt(i), 10);
            if (d >= 0) {
                out.append((char) ('0' + d));
            }
        }
        return out.toString();
    }
}
