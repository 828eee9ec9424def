package dev.entrapbx.sso;

import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.NewCookie;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The last email typed on the email page, remembered in this browser (like Microsoft's account
 * picker) so the next sign-in starts with it filled in; "Not you?" forgets it. Set the same way for
 * every address typed, known or not, so the cookie tells nothing about accounts. HttpOnly,
 * SameSite=Lax, Secure on https, scoped to the realm's path.
 */
final class LastEmailCookie {

    static final String NAME = "ENTRA_PBX_LAST_EMAIL";
    static final int MAX_AGE_SECONDS = 90 * 24 * 3600;
    private static final int MAX_LENGTH = 254;

    private LastEmailCookie() {
    }

    /** The remembered address, or null when there is none or it is not a plausible one. */
    static String read(KeycloakSession session) {
        Cookie c = session.getContext().getRequestHeaders().getCookies().get(NAME);
        if (c == null || c.getValue() == null || c.getValue().isBlank()) {
            return null;
        }
        try {
            String v = URLDecoder.decode(c.getValue(), StandardCharsets.UTF_8).strip();
            return plausible(v) ? v : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static void write(KeycloakSession session, RealmModel realm, String email) {
        if (plausible(email)) {
            set(session, realm, URLEncoder.encode(email, StandardCharsets.UTF_8), MAX_AGE_SECONDS);
        }
    }

    static void clear(KeycloakSession session, RealmModel realm) {
        set(session, realm, "", 0);
    }

    /** What may be shown back in the form: printable, no markup characters, of sane length. */
    static boolean plausible(String v) {
        return v != null && !v.isBlank() && v.length() <= MAX_LENGTH && v.chars().allMatch(ch -> ch > 0x20 && ch != 0x7f && "<>\"'`\\".indexOf(ch) < 0);
    }

    private static void set(KeycloakSession session, RealmModel realm, String value, int maxAge) {
        boolean secure = "https".equalsIgnoreCase(session.getContext().getUri().getBaseUri().getScheme());
        String path = session.getContext().getUri().getBaseUri().getRawPath();
        path = (path.endsWith("/") ? path : path + "/") + "realms/" + realm.getName() + "/";
        session.getContext().getHttpResponse().setCookieIfAbsent(new NewCookie.Builder(NAME).value(value).path(path)
                .maxAge(maxAge).httpOnly(true).secure(secure).sameSite(NewCookie.SameSite.LAX).build());
    }
}
