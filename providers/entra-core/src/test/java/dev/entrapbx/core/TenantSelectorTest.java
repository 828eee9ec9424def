package dev.entrapbx.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantSelectorTest {

    @Test
    void guidIsNormalisedToLowerCase() {
        TenantSelector t = TenantSelector.parse(" 72F988BF-86F1-41AF-91AB-2D7CD011DB47 ");
        assertThat(t.kind()).isEqualTo(TenantSelector.Kind.TENANT_ID);
        assertThat(t.value()).isEqualTo("72f988bf-86f1-41af-91ab-2d7cd011db47");
        assertThat(t.isMultiTenant()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"contoso.com", "contoso.onmicrosoft.com", "voice.partner-a.example"})
    void verifiedDomainsAreAccepted(String domain) {
        TenantSelector t = TenantSelector.parse(domain);
        assertThat(t.kind()).isEqualTo(TenantSelector.Kind.DOMAIN);
        assertThat(t.value()).isEqualTo(domain);
    }

    @Test
    void organizationsIsMultiTenant() {
        assertThat(TenantSelector.parse("organizations").isMultiTenant()).isTrue();
    }

    @Test
    void commonAndConsumersAreRefusedWithAPointerToOrganizations() {
        assertThatThrownBy(() -> TenantSelector.parse("common"))
                .hasMessageContaining("personal Microsoft accounts").hasMessageContaining("organizations");
        assertThatThrownBy(() -> TenantSelector.parse("consumers"))
                .hasMessageContaining("personal Microsoft accounts");
    }

    @Test
    void malformedGuidSaysItIsNotAValidGuid() {
        assertThatThrownBy(() -> TenantSelector.parse("72f988bf-86f1-41af-91ab-2d7cd011db4"))
                .hasMessageContaining("is not a valid GUID");
    }

    @ParameterizedTest
    @ValueSource(strings = {"contoso", "https://login.microsoftonline.com/contoso.com", "contoso..com", "-bad.com"})
    void garbageIsRefusedWithGuidance(String input) {
        assertThatThrownBy(() -> TenantSelector.parse(input)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(input);
    }

    @Test
    void emptyIsRefused() {
        assertThatThrownBy(() -> TenantSelector.parse(null)).hasMessageContaining("Tenant is required");
        assertThatThrownBy(() -> TenantSelector.parse("  ")).hasMessageContaining("Tenant is required");
    }

    @Test
    void tenantIdHelpers() {
        assertThat(TenantSelector.isTenantId("72f988bf-86f1-41af-91ab-2d7cd011db47")).isTrue();
        assertThat(TenantSelector.isTenantId("contoso.com")).isFalse();
        assertThat(TenantSelector.normalizeTenantId("72F988BF-86F1-41AF-91AB-2D7CD011DB47"))
                .contains("72f988bf-86f1-41af-91ab-2d7cd011db47");
    }
}
