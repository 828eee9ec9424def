package dev.entrapbx.simulator.model;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Object ids are lower-case GUIDs, as in Entra. */
public final class Ids {
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Ids() { }

    public static String newGuid() {
        return UUID.randomUUID().toString();
    }

    public static boolean isGuid(String s) {
        return s != null && GUID.matcher(s).matches();
    }

    public static String requireGuid(String s, String what) {
        if (!isGuid(s)) {
            throw new IllegalArgumentException(what + " must be a GUID, got '" + s + "'");
        }
        return s.toLowerCase(Locale.ROOT);
    }

    /** The given id (validated) or a new one. */
    public static String orNew(String s, String what) {
        return s == null || s.isBlank() ? newGuid() : requireGuid(s, what);
    }
}
