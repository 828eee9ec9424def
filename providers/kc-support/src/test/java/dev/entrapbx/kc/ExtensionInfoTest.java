package dev.entrapbx.kc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExtensionInfoTest {

    @Test
    void reportsTheBuiltVersionAndKeycloakApi() {
        assertThat(ExtensionInfo.version()).isNotBlank().doesNotContain("${");
        assertThat(ExtensionInfo.operationalInfo())
                .containsEntry("entra-pbx-version", ExtensionInfo.version())
                .hasEntrySatisfying("keycloak-compiled-against", v -> assertThat(v).startsWith("26."));
    }
}
