package dev.entrapbx.directory.claims;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.provider.ProviderConfigProperty;

class PbxExtensionMapperTest {

    @Test
    void theConsoleShowsTheRoleSettingsAndTheFourTokenSwitches() {
        Map<String, ProviderConfigProperty> byName = new HashMap<>();
        new PbxExtensionMapper().getConfigProperties().forEach(p -> byName.put(p.getName(), p));
        assertThat(byName).containsKeys(PbxExtensionMapperConfig.ADD_ROLES, PbxExtensionMapperConfig.ROLES_CLIENT,
                OIDCAttributeMapperHelper.INCLUDE_IN_ID_TOKEN, OIDCAttributeMapperHelper.INCLUDE_IN_ACCESS_TOKEN,
                OIDCAttributeMapperHelper.INCLUDE_IN_USERINFO, OIDCAttributeMapperHelper.INCLUDE_IN_INTROSPECTION);
        ProviderConfigProperty addRoles = byName.get(PbxExtensionMapperConfig.ADD_ROLES);
        assertThat(addRoles.getType()).isEqualTo(ProviderConfigProperty.BOOLEAN_TYPE);
        assertThat(addRoles.getDefaultValue()).isEqualTo("false");
        assertThat(byName.values()).allSatisfy(p -> assertThat(p.getHelpText()).isNotBlank());
        assertThat(new PbxExtensionMapper().getId()).isEqualTo("pbx-extension");
    }

    @Test
    void rolesAreOffUnlessSwitchedOnAndTheClientDefaultsToTheTokensClient() {
        PbxExtensionMapperConfig none = PbxExtensionMapperConfig.of(null);
        assertThat(none.addRoles()).isFalse();
        assertThat(none.rolesClient()).isEmpty();
        PbxExtensionMapperConfig on = PbxExtensionMapperConfig.of(Map.of("addRoles", "true", "rolesClient", " pbx-web "));
        assertThat(on.addRoles()).isTrue();
        assertThat(on.rolesClient()).contains("pbx-web");
        assertThat(PbxExtensionMapperConfig.of(Map.of("addRoles", "yes please", "rolesClient", "  ")))
                .satisfies(c -> assertThat(c.addRoles()).isFalse())
                .satisfies(c -> assertThat(c.rolesClient()).isEmpty());
    }

    @Test
    void aValueEchoedInTheSaveErrorCannotBreakKeycloaksMessageFormat() {
        assertThat(PbxExtensionMapper.formatSafe("pbx-web")).isEqualTo("pbx-web");
        String odd = PbxExtensionMapper.formatSafe("it's {0} pbx}");
        assertThat(odd).isEqualTo("it?s ?0? pbx?");
        assertThat(java.text.MessageFormat.format("Roles client \"" + odd + "\" does not exist", (Object[]) null))
                .isEqualTo("Roles client \"it?s ?0? pbx?\" does not exist");
    }
}
