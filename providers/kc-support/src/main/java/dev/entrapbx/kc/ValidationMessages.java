package dev.entrapbx.kc;

import java.text.MessageFormat;

/**
 * Keycloak formats a {@code ComponentValidationException}'s message with {@link MessageFormat}
 * before the admin console shows it: messages that quote what the admin typed must be escaped, or
 * quotes vanish and braces break the message.
 */
public final class ValidationMessages {

    private ValidationMessages() {
    }

    /** {@code s} as a MessageFormat pattern that formats back to exactly {@code s}. */
    public static String literal(String s) {
        return s.replace("'", "''").replace("{", "'{'").replace("}", "'}'");
    }

    /** The text a {@link #literal} pattern stands for (for answers that do not go through MessageFormat). */
    public static String plain(String pattern) {
        try {
            return new MessageFormat(pattern).format(new Object[0]);
        } catch (IllegalArgumentException e) {
            return pattern;
        }
    }
}
