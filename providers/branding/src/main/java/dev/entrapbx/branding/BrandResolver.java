package dev.entrapbx.branding;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
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
            if (LOGGED.size() > MAX_REMEMBERED) {
                LOGGED.clear();
            }
            if (LOGGED.add(where + "|" + key + "|" + value.hashCode())) {
                LOG.warnf("Brand of %s: %s; the neutral default is used", where, problem);
            }
        }
    }
}
