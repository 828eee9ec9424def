package dev.entrapbx.simulator.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Objects;

/** A client secret (password credential) of an app registration. */
public record ClientSecret(String keyId, String displayName, String value, Instant startDateTime, Instant endDateTime) {
    public ClientSecret {
        Objects.requireNonNull(value, "secret value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("A client secret value must not be empty");
        }
        Objects.requireNonNull(endDateTime, "secret endDateTime");
        keyId = Ids.orNew(keyId, "secret keyId");
        startDateTime = startDateTime == null ? Instant.now() : startDateTime;
    }

    public static ClientSecret of(String value, Instant endDateTime) {
        return new ClientSecret(null, null, value, null, endDateTime);
    }

    /** The first three characters, as Graph's passwordCredential.hint shows. */
    public String hint() {
        return value.length() <= 3 ? value : value.substring(0, 3);
    }

    public boolean isExpired(Instant now) {
        return !endDateTime.isAfter(now);
    }

    /** Constant-time comparison. */
    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ClientSecret[" + keyId + ", hint=" + hint() + ", end=" + endDateTime + "]";
    }
}
