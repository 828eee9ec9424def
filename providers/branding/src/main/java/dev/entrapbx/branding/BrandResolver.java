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
        Brand brand = Brand.resolve(realm.getAttributes(), firstValues(organizationAttributes), fallback);
        logOnce(realm.getName() + (organizationAlias == null ? "" : "/" + organizationAlias), brand);
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

    private static void logOnce(String where, Brand brand) {
        for (String problem : brand.getProblems()) {
            if (LOGGED.size() > MAX_REMEMBERED) {
                LOGGED.clear();
            }
            if (LOGGED.add(where + "|" + problem)) {
                LOG.warnf("Brand of %s: %s", where, problem);
            }
        }
    }
}
