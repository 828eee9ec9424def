package dev.entrapbx.sync;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.userprofile.config.UPAttribute;
import org.keycloak.representations.userprofile.config.UPAttributePermissions;
import org.keycloak.representations.userprofile.config.UPConfig;
import org.keycloak.representations.userprofile.config.UPGroup;
import org.keycloak.userprofile.UserProfileProvider;

/**
 * Declares in the realm's user profile the attributes the sync writes, in a group "Microsoft
 * Entra ID", visible to admins and the user, editable by admins only (the sync overwrites them).
 * Run when a component is created and at the start of every run; an attribute the admin already
 * declared is left as it is.
 */
final class UserProfileDeclaration {

    static final String GROUP = "entra";

    private UserProfileDeclaration() {
    }

    static Map<String, String> attributes(EntraSyncConfig config) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(EntraUserMapper.ATTR_EXTENSION, "PBX extension");
        a.put("jobTitle", "Job title");
        a.put("department", "Department");
        a.put("businessPhones", "Business phones");
        a.put("mobilePhone", "Mobile phone");
        a.put("officeLocation", "Office");
        a.put("employeeId", "Employee ID");
        a.put("displayName", "Display name");
        a.put(EntraUserMapper.ATTR_OID, "Entra object ID");
        a.put(EntraUserMapper.ATTR_TENANT, "Entra tenant ID");
        a.put(EntraUserMapper.ATTR_UPN, "Entra user principal name");
        a.put(EntraUserMapper.ATTR_FLAG, "Sync flag");
        a.put(EntraUserMapper.ATTR_DISABLED_AT, "Disabled by the sync at");
        a.put(EntraUserMapper.ATTR_DISABLED_REASON, "Disabled by the sync because");
        for (int i = 1; i <= 15; i++) {
            a.put("entraExtensionAttribute" + i, "Entra extension attribute " + i);
        }
        for (EntraSyncConfig.Mapping m : config.extraMappings()) {
            a.putIfAbsent(m.attribute(), m.entraProperty());
        }
        return a;
    }

    static void ensure(KeycloakSession session, EntraSyncConfig config) {
        UserProfileProvider profile = session.getProvider(UserProfileProvider.class);
        UPConfig up = profile.getConfiguration();
        boolean changed = false;
        if (up.getGroups().stream().noneMatch(g -> GROUP.equals(g.getName()))) {
            UPGroup g = new UPGroup(GROUP);
            g.setDisplayHeader("Microsoft Entra ID");
            g.setDisplayDescription("Synchronized from Microsoft Entra ID; changes made here are overwritten by the next sync.");
            up.addGroup(g);
            changed = true;
        }
        for (Map.Entry<String, String> e : attributes(config).entrySet()) {
            if (up.getAttribute(e.getKey()) != null) {
                continue;
            }
            UPAttribute a = new UPAttribute(e.getKey(), new UPAttributePermissions(Set.of("admin", "user"), Set.of("admin")));
            a.setDisplayName(e.getValue());
            a.setGroup(GROUP);
            a.setMultivalued("businessPhones".equals(e.getKey()));
            up.addOrReplaceAttribute(a);
            changed = true;
        }
        if (changed) {
            profile.setConfiguration(up);
        }
    }
}
