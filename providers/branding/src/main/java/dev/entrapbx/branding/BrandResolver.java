package dev.entrapbx.branding;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import org.jboss.logging.Logger;
import org.keycloak.crypto.KeyUse;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;

/** Builds a realm's (and organization's) {@link Brand}; refused values are logged once per value. */
public final class BrandResolver {

    private static final Logger LOG = Logger.getLogger(BrandResolver.class);
    private static final int MAX_REMEMBERED = 10_000;
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private BrandResolver() {
    }

    public static Brand forRealm(RealmModel realm, Map<String, List<String>> organizationAttributes, String organizationAlias) {
        String fallback = realm.getDisplayName() != null && !realm.getDisplayName().isBlank() ? realm.getDisplayName() : realm.getName();
        Map<String, String> realmAttributes = realm.getAttributes();
        Map<String, String> orgAttributes = firstValues(organizationAttributes);
        Brand brand = Brand.resolve(realmAttributes, orgAttributes, fallback);
        logOnce(realm.getName() + (organizationAlias == null ? "" : "/" + organizationAlias), brand, realmAttributes, orgAttributes);
        return brand;
    }

    public static Brand forRealm(RealmModel realm, OrganizationModel org) {
        return forRealm(realm, org == null ? null : org.getAttributes(), org == null ? null : org.getAlias());
    }

    /**
     * The secret that keys organization fingerprints ({@link Brand#fingerprint(byte[], String)}):
     * the realm's active HMAC key, the one Keycloak signs its own internal tokens and cookies with
     * ({@link Constants#INTERNAL_SIGNATURE_ALGORITHM}, HS512; Keycloak generates it when a realm
     * has none). Rotating that key changes every organization's {@code v}, which the next page load
     * picks up. Empty when the realm has no usable key: then pages link and the stylesheet serves
     * the realm's brand only (logged once), so nothing unkeyed ever unlocks an organization's brand.
     */
    public static Optional<byte[]> fingerprintKey(KeycloakSession session, RealmModel realm) {
        byte[] secret = null;
        try {
            KeyWrapper key = session.keys().getActiveKey(realm, KeyUse.SIG, Constants.INTERNAL_SIGNATURE_ALGORITHM);
            SecretKey k = key == null ? null : key.getSecretKey();
            secret = k == null ? null : k.getEncoded();
        } catch (RuntimeException e) {
            // the key manager throws when the realm has no such key and none could be generated
        }
        if (secret == null || secret.length == 0) {
            if (remember(realm.getName() + "|no-hmac-key")) {
                LOG.warnf("Brand of %s: the realm has no active %s key, so organization brands are not used in the brand stylesheet",
                        realm.getName(), Constants.INTERNAL_SIGNATURE_ALGORITHM);
            }
            return Optional.empty();
        }
        return Optional.of(secret);
    }

    static Map<String, String> firstValues(Map<String, List<String>> attributes) {
        Map<String, String> m = new LinkedHashMap<>();
        if (attributes != null) {
            attributes.forEach((k, v) -> {
                if (k != null && k.startsWith("brand.") && v != null && !v.isEmpty() && v.get(0) != null) {
                    m.put(k, v.get(0));
                }
            });
        }
        return m;
    }

    /**
     * Logs each refused value once (per realm/organization, key and value); the value itself is
     * not logged, only that it was refused and what is expected.
     */
    private static void logOnce(String where, Brand brand, Map<String, String> realm, Map<String, String> org) {
        for (String problem : brand.getProblems()) {
            String key = problem.substring(0, problem.indexOf(':'));
            String value = org.getOrDefault(key, "") + "\u0000" + realm.getOrDefault(key, "");
            if (remember(where + "|" + key + "|" + value.hashCode())) {
                LOG.warnf("Brand of %s: %s; the neutral default is used", where, problem);
            }
        }
    }

    /** True the first time {@code what} is seen (a bounded memory of what was logged). */
    private static boolean remember(String what) {
        if (LOGGED.size() > MAX_REMEMBERED) {
            LOGGED.clear();
        }
        return LOGGED.add(what);
    }
}
