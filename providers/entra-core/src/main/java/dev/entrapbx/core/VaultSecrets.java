package dev.entrapbx.core;

import java.util.Optional;
import java.util.regex.Pattern;
import org.keycloak.models.KeycloakSession;
import org.keycloak.vault.VaultStringSecret;

/**
 * Keycloak vault references in a secret field (client secret, private key): the one place that
 * recognises {@code ${vault.<key>}} and resolves it, for the broker, the sync and whatever reads an
 * {@link EntraApp} next.
 */
public final class VaultSecrets {

    private static final Pattern REFERENCE = Pattern.compile("^\\$\\{vault\\.(.+?)}$");

    private VaultSecrets() {
    }

    /** True when {@code value} (trimmed) is a vault reference such as {@code ${vault.entra_secret}}. */
    public static boolean isReference(String value) {
        return value != null && REFERENCE.matcher(value.trim()).matches();
    }

    /**
     * The value with a vault reference resolved; a value that is no reference is returned as it is.
     *
     * @throws IllegalArgumentException when it is a reference to an entry the vault does not have
     *         (Entra would otherwise receive the literal "${vault.x}" and fail with a generic error)
     */
    public static String resolve(KeycloakSession session, String value) {
        if (!isReference(value)) {
            return value;
        }
        String trimmed = value.trim();
        try (VaultStringSecret secret = session.vault().getStringSecret(trimmed)) {
            Optional<String> resolved = secret.get();
            return resolved.orElseThrow(() -> new IllegalArgumentException("The vault has no entry for " + trimmed
                    + ": add it to Keycloak's vault or paste the secret."));
        }
    }
}
