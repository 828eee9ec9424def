package dev.entrapbx.directory.claims;

import dev.entrapbx.kc.Setting;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed, null-safe view of a {@code pbx-extension} mapper's own settings (the "add to ID token /
 * access token / userinfo / introspection" switches are Keycloak's). Each setting is declared once
 * in {@link #SETTINGS}: the mapper's property list and README's table come from it.
 */
public final class PbxExtensionMapperConfig {

    public static final String ADD_ROLES = "addRoles";
    public static final String ROLES_CLIENT = "rolesClient";

    static final Setting<Boolean> ADD_ROLES_SETTING = Setting.flag(ADD_ROLES, false)
            .label("Add phone-system roles")
            .help("Adds 'pbx.roles': the names of the roles of the roles client (below) that the user holds, directly, "
                    + "through a group or a composite role, sorted. Left out when the user holds none.")
            .build();

    static final Setting<Optional<String>> ROLES_CLIENT_SETTING = Setting.text(ROLES_CLIENT)
            .label("Roles client")
            .help("Client ID of the client whose client roles are the phone-system roles, e.g. pbx-web. "
                    + "Empty: the client the token is issued to. Only used with 'Add phone-system roles'.")
            .docDefault("the token's client")
            .build();

    public static final List<Setting<?>> SETTINGS = List.of(ADD_ROLES_SETTING, ROLES_CLIENT_SETTING);

    private final boolean addRoles;
    private final Optional<String> rolesClient;

    private PbxExtensionMapperConfig(boolean addRoles, Optional<String> rolesClient) {
        this.addRoles = addRoles;
        this.rolesClient = rolesClient;
    }

    /** From a mapper's stored config (null: nothing stored); unparsable values read as their defaults. */
    public static PbxExtensionMapperConfig of(Map<String, String> config) {
        Setting.Values values = Setting.Values.of(config);
        return new PbxExtensionMapperConfig(ADD_ROLES_SETTING.getOrDefault(values), ROLES_CLIENT_SETTING.getOrDefault(values));
    }

    public boolean addRoles() {
        return addRoles;
    }

    /** The roles client's Client ID; empty: the token's client. */
    public Optional<String> rolesClient() {
        return rolesClient;
    }

    @Override
    public String toString() {
        return "PbxExtensionMapperConfig[addRoles=" + addRoles + ", rolesClient=" + rolesClient.orElse("(token's client)") + "]";
    }
}
