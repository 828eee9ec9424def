package dev.entrapbx.simulator.model;

import java.util.Locale;

/** A domain of a tenant. Names are kept lower-case. */
public record Domain(String name, boolean isDefault, boolean isInitial, boolean isVerified) {
    public Domain {
        if (name == null || !name.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+")) {
            throw new IllegalArgumentException("Invalid domain name: " + name);
        }
        name = name.toLowerCase(Locale.ROOT);
    }

    public static Domain verified(String name) {
        return new Domain(name, false, false, true);
    }

    public static Domain unverified(String name) {
        return new Domain(name, false, false, false);
    }

    Domain asDefault(boolean isDefault) {
        return new Domain(name, isDefault, isInitial, isVerified);
    }
}
