package dev.entrapbx.core;

import java.util.Optional;
import org.keycloak.Config;

/**
 * Whether this server accepts an authority-host override (the Entra simulator: development and
 * tests only), and the one check every reader of an {@link EntraApp} applies: a database copied
 * from a development server, or the option switched off later, must never make Keycloak talk to a
 * host that would control signing keys and tokens.
 *
 * @param allowed      the server option's value (default false)
 * @param serverOption the option an admin sets to allow it, named in the refusal
 */
public record AuthorityOverrideGate(boolean allowed, String serverOption) {

    /** The server option's name under each provider: {@code --spi-<spi>--<provider>--allow-authority-override}. */
    public static final String OPTION = "allow-authority-override";

    /** Reads {@value #OPTION} of a provider factory's {@code init} scope. */
    public static AuthorityOverrideGate of(Config.Scope config, String spi, String providerId) {
        return new AuthorityOverrideGate(config.getBoolean(OPTION, false), "--spi-" + spi + "--" + providerId + "--" + OPTION);
    }

    /** A gate that refuses every override (checks that run outside a provider, e.g. the expiry check). */
    public static AuthorityOverrideGate refused(String serverOption) {
        return new AuthorityOverrideGate(false, serverOption);
    }

    /**
     * The override, validated and without trailing slash, or empty when none is set.
     *
     * @throws IllegalArgumentException when one is set and this server does not allow it, or it is no https origin
     */
    public Optional<String> check(Optional<String> override) {
        if (override.isEmpty()) {
            return Optional.empty();
        }
        if (!allowed) {
            throw new IllegalArgumentException("Authority host override is for the Entra simulator only and this server does not "
                    + "allow it (start Keycloak with " + serverOption + "=true on development servers only). Clear the field.");
        }
        return Optional.of(EntraEndpoints.validateOverride(override.get()));
    }
}
