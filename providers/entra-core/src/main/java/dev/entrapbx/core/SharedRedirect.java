package dev.entrapbx.core;

import java.net.URI;
import java.util.Map;
import org.keycloak.services.Urls;

/**
 * Where Microsoft sends a browser back after sign-in through an {@code entra-id} identity provider:
 * its own broker endpoint, or, with "Shared redirect URI" on, the realm's one callback
 * {@code /realms/<realm>/entra-id/callback} (the broker module's {@code SharedCallback}), which
 * every customer of a multi-tenant partner app can share.
 */
public final class SharedRedirect {

    /** The realm resource id of the shared callback. */
    public static final String RESOURCE = "entra-id";

    private SharedRedirect() {
    }

    /** The realm's shared redirect URI on {@code baseUri}. */
    public static String uri(URI baseUri, String realmName) {
        return Urls.realmBase(baseUri).path("{realm}").path(RESOURCE).path("callback").build(realmName).toString();
    }

    /** True when the identity provider's configuration turns the shared redirect URI on. */
    public static boolean isOn(Map<String, String> idpConfig) {
        return idpConfig != null && Boolean.parseBoolean(String.valueOf(idpConfig.get(EntraIdpKeys.SHARED_REDIRECT)).trim());
    }

    /** The redirect URI to register in Entra for this identity provider. */
    public static String redirectUriOf(URI baseUri, String realmName, String alias, Map<String, String> idpConfig) {
        return isOn(idpConfig) ? uri(baseUri, realmName) : Urls.identityProviderAuthnResponse(baseUri, alias, realmName).toString();
    }
}
