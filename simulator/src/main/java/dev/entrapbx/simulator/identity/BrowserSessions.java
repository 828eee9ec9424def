package dev.entrapbx.simulator.identity;

import dev.entrapbx.simulator.http.Request;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Browser sign-in sessions (single sign-on), identified by the ESTSAUTH cookie as at login.microsoftonline.com. */
final class BrowserSessions {
    static final String COOKIE = "ESTSAUTH";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A signed-in account of a session. */
    record Account(String tenantId, String userId, Instant signedInAt) { }

    /** One browser's session: the accounts signed in, most recent first. */
    static final class Session {
        private final String cookieValue;
        private final String sessionState = UUID.randomUUID().toString();
        private final List<Account> accounts = new CopyOnWriteArrayList<>();

        private Session(String cookieValue) {
            this.cookieValue = cookieValue;
        }

        String cookieValue() { return cookieValue; }

        /** The value returned as session_state and put in the sid claim. */
        String sessionState() { return sessionState; }

        List<Account> accounts() { return List.copyOf(accounts); }

        synchronized Account signIn(String tenantId, String userId) {
            accounts.removeIf(a -> a.userId().equals(userId));
            Account account = new Account(tenantId, userId, Instant.now());
            accounts.add(0, account);
            return account;
        }

        Optional<Account> account(String userId) {
            return accounts.stream().filter(a -> a.userId().equals(userId)).findFirst();
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    Optional<Session> find(Request request) {
        return request.cookie(COOKIE).map(sessions::get);
    }

    Session findOrCreate(Request request) {
        return find(request).orElseGet(() -> {
            byte[] b = new byte[32];
            RANDOM.nextBytes(b);
            Session s = new Session(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
            sessions.put(s.cookieValue(), s);
            return s;
        });
    }

    void end(Request request) {
        request.cookie(COOKIE).ifPresent(sessions::remove);
    }

    void clear() {
        sessions.clear();
    }

    static String setCookie(Session session) {
        return COOKIE + "=" + session.cookieValue() + "; Path=/; Secure; HttpOnly; SameSite=None";
    }

    static String clearCookie() {
        return COOKIE + "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=None";
    }
}
