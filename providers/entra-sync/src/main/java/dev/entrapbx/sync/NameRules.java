package dev.entrapbx.sync;

import java.util.Set;

/** How an Entra user's names and email become a Keycloak user's (pure rules, no Keycloak). */
final class NameRules {

    private NameRules() {
    }

    /** First and last name; when Entra has none, from the display name (Keycloak's profile wants both). */
    static String[] names(EntraUser u, String username) {
        String first = u.first("givenName").map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        String last = u.first("surname").map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        if (first == null || last == null) {
            String display = u.first("displayName").map(String::trim).filter(s -> !s.isEmpty()).orElse(username);
            int space = display.lastIndexOf(' ');
            if (first == null) {
                first = space > 0 ? display.substring(0, space) : display;
            }
            if (last == null) {
                last = space > 0 ? display.substring(space + 1) : display;
            }
        }
        return new String[] {first, last};
    }

    /** An email on one of the tenant's verified domains is imported as verified. */
    static boolean emailVerified(String mail, Set<String> verifiedDomains) {
        return mail != null && verifiedDomains.contains(mail.substring(mail.indexOf('@') + 1));
    }
}
