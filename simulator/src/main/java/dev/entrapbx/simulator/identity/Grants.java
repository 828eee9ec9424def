package dev.entrapbx.simulator.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** Authorization codes (single use, 10 minutes) and refresh tokens issued by the token service. */
final class Grants {
    private static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    private static final Duration REDEEMED_CODE_MEMORY = Duration.ofMinutes(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What an authorization code stands for. */
    record CodeGrant(String clientId, String redirectUri, TenantScope endpoint, String tenantId, String userId,
                     RequestedScopes scopes, String nonce, String codeChallenge, String codeChallengeMethod,
                     String sessionState, Instant authTime) { }

    /** What a refresh token stands for. */
    record RefreshGrant(String clientId, String tenantId, String userId, RequestedScopes scopes, String sessionState,
                        Instant authTime) { }

    private record CodeEntry(CodeGrant grant, Instant expiresAt, AtomicBoolean redeemed) { }

    private final Clock clock;
    private final Map<String, CodeEntry> codes = new ConcurrentHashMap<>();
    private final Map<String, RefreshGrant> refreshTokens = new ConcurrentHashMap<>();

    Grants(Clock clock) {
        this.clock = clock;
    }

    String issueCode(CodeGrant grant) {
        Instant now = clock.instant();
        codes.values().removeIf(e -> e.expiresAt().plus(REDEEMED_CODE_MEMORY).isBefore(now));
        String code = "0.A" + random(96);
        codes.put(code, new CodeEntry(grant, now.plus(CODE_LIFETIME), new AtomicBoolean()));
        return code;
    }

    /** Redeems a code exactly once; a second redemption fails with AADSTS54005 as at Entra. */
    CodeGrant redeemCode(String code) {
        CodeEntry entry = codes.get(code);
        if (entry == null) {
            throw AadErrors.malformed();
        }
        if (entry.expiresAt().isBefore(clock.instant())) {
            throw AadErrors.grantExpired();
        }
        if (!entry.redeemed().compareAndSet(false, true)) {
            throw AadErrors.codeRedeemed();
        }
        return entry.grant();
    }

    String issueRefreshToken(RefreshGrant grant) {
        String token = "1.A" + random(192);
        refreshTokens.put(token, grant);
        return token;
    }

    Optional<RefreshGrant> refreshGrant(String token) {
        return Optional.ofNullable(token == null ? null : refreshTokens.get(token));
    }

    void clear() {
        codes.clear();
        refreshTokens.clear();
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
