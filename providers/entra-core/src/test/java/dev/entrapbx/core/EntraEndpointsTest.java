package dev.entrapbx.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EntraEndpointsTest {

    private static final String TID = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    @ParameterizedTest
    @CsvSource({
            "global,            https://login.microsoftonline.com,        https://graph.microsoft.com",
            "us-government,     https://login.microsoftonline.us,         https://graph.microsoft.us",
            "us-government-dod, https://login.microsoftonline.us,         https://dod-graph.microsoft.us",
            "china,             https://login.partner.microsoftonline.cn, https://microsoftgraph.chinacloudapi.cn"})
    void eachCloudDerivesItsV2Endpoints(String cloudId, String login, String graph) {
        EntraCloud cloud = EntraCloud.fromId(cloudId).orElseThrow();
        EntraEndpoints e = EntraEndpoints.of(cloud, TenantSelector.parse(TID));

        assertThat(e.authority()).isEqualTo(login + "/" + TID + "/");
        assertThat(e.authorizationEndpoint()).isEqualTo(login + "/" + TID + "/oauth2/v2.0/authorize");
        assertThat(e.tokenEndpoint()).isEqualTo(login + "/" + TID + "/oauth2/v2.0/token");
        assertThat(e.jwksUri()).isEqualTo(login + "/" + TID + "/discovery/v2.0/keys");
        assertThat(e.logoutEndpoint()).isEqualTo(login + "/" + TID + "/oauth2/v2.0/logout");
        assertThat(e.discoveryDocument()).isEqualTo(login + "/" + TID + "/v2.0/.well-known/openid-configuration");
        assertThat(e.issuerFor(TID.toUpperCase())).isEqualTo(login + "/" + TID + "/v2.0");
        assertThat(e.issuerTemplate()).isEqualTo(login + "/{tenantid}/v2.0");
        assertThat(e.graphBaseUrl()).isEqualTo(graph + "/v1.0");
        assertThat(e.graphDefaultScope()).isEqualTo(graph + "/.default");
        assertThat(e.isOverridden()).isFalse();
    }

    @Test
    void multiTenantUsesOrganizationsSegment() {
        EntraEndpoints e = EntraEndpoints.of(EntraCloud.GLOBAL, TenantSelector.parse("Organizations"));
        assertThat(e.authorizationEndpoint()).isEqualTo("https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize");
        assertThat(e.tenant().isMultiTenant()).isTrue();
    }

    @Test
    void overrideReplacesBothHostsButKeepsTheCloudsGraphScope() {
        EntraEndpoints e = EntraEndpoints.withOverride(EntraCloud.US_GOVERNMENT, TenantSelector.parse("contoso.com"),
                "https://127.0.0.1:8443/");
        assertThat(e.tokenEndpoint()).isEqualTo("https://127.0.0.1:8443/contoso.com/oauth2/v2.0/token");
        assertThat(e.graphBaseUrl()).isEqualTo("https://127.0.0.1:8443/v1.0");
        assertThat(e.graphDefaultScope()).isEqualTo("https://graph.microsoft.us/.default");
        assertThat(e.issuerFor(TID)).isEqualTo("https://127.0.0.1:8443/" + TID + "/v2.0");
        assertThat(e.isOverridden()).isTrue();
    }

    @Test
    void overrideMustBeHttpsWithoutPath() {
        assertThatThrownBy(() -> EntraEndpoints.validateOverride("http://127.0.0.1:8443"))
                .hasMessageContaining("must be an https URL");
        assertThatThrownBy(() -> EntraEndpoints.validateOverride("https://127.0.0.1:8443/tenant"))
                .hasMessageContaining("without a path");
        assertThatThrownBy(() -> EntraEndpoints.validateOverride("https://127.0.0.1:8443/?x=1"))
                .hasMessageContaining("without a path");
        assertThatThrownBy(() -> EntraEndpoints.validateOverride(" "))
                .hasMessageContaining("empty");
    }

    @Test
    void issuerForRefusesANonGuid() {
        EntraEndpoints e = EntraEndpoints.of(EntraCloud.GLOBAL, TenantSelector.parse("organizations"));
        assertThatThrownBy(() -> e.issuerFor("contoso.com")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownCloudIsEmpty() {
        assertThat(EntraCloud.fromId("germany")).isEmpty();
        assertThat(EntraCloud.fromId(null)).isEmpty();
        assertThat(EntraCloud.fromId("US_GOVERNMENT")).contains(EntraCloud.US_GOVERNMENT);
    }
}
