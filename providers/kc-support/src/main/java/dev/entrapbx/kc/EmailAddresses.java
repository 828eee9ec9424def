package dev.entrapbx.kc;

import java.util.Locale;
import java.util.Optional;

/** Email-address helpers shared by the broker (domain_hint, verified domains) and the SSO policy. */
public final class EmailAddresses {

    private EmailAddresses() {
    }

    /** The lower-case domain of an address such as adele@contoso.com; empty when it is not one. */
    public static Optional<String> domainOf(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String a = address.strip();
        int at = a.lastIndexOf('@');
        return at > 0 && at < a.length() - 1 ? Optional.of(a.substring(at + 1).toLowerCase(Locale.ROOT)) : Optional.empty();
    }
}
