package dev.entrapbx.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.entrapbx.core.AuthorityOverrideGate;
import dev.entrapbx.core.EntraApp;
import dev.entrapbx.core.EntraCloud;
import dev.entrapbx.core.EntraIdpKeys;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.models.IdentityProviderModel;

/** The sync reads its Entra app through core's one model: the identity provider's, or its own settings. */
class EntraConnectionTest {

    private static final String TENANT = "11111111-2222-3333-4444-555555555555";
    private static final String CLIENT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

    private static IdentityProviderModel idp(String tenant) {
        IdentityProviderModel m = new IdentityProviderModel();
        m.setAlias("entra");
        m.setProviderId(EntraIdpKeys.PROVIDER_ID);
        m.getConfig().put(EntraIdpKeys.CLOUD, "china");
        m.getConfig().put(EntraIdpKeys.TENANT, tenant);
        m.getConfig().put(EntraIdpKeys.CLIENT_ID, CLIENT);
        m.getConfig().put(EntraIdpKeys.CLIENT_SECRET, "idp-secret");
        return m;
    }

    private static EntraSyncConfig config(String... pairs) {
        MultivaluedHashMap<String, String> m = new MultivaluedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.putSingle(pairs[i], pairs[i + 1]);
        }
        return new EntraSyncConfig(m);
    }

    @Test
    void theIdentityProvidersAppWithTheSyncsTenant() {
        EntraApp app = EntraConnection.app(config(), Optional.of(idp(TENANT)));
        assertThat(app.cloud()).isEqualTo(EntraCloud.CHINA);
        assertThat(app.tenant().value()).isEqualTo(TENANT);

        EntraApp multi = EntraConnection.app(config(EntraSyncConfig.TENANT, "contoso.com"), Optional.of(idp("organizations")));
        assertThat(multi.tenant().value()).isEqualTo("contoso.com");
        assertThatThrownBy(() -> EntraConnection.app(config(), Optional.of(idp("organizations"))))
                .hasMessageContaining("is multi-tenant: set Tenant on the sync");
    }

    @Test
    void itsOwnSettings() {
        EntraSyncConfig own = config(EntraSyncConfig.REUSE_IDP_CREDENTIALS, "false", EntraSyncConfig.TENANT, TENANT,
                EntraSyncConfig.CLIENT_ID, CLIENT, EntraSyncConfig.CLIENT_SECRET, "own-secret",
                EntraSyncConfig.AUTHORITY_HOST_OVERRIDE, "https://127.0.0.1:8443");
        EntraApp app = EntraConnection.app(own, Optional.of(idp(TENANT)));
        assertThat(app.cloud()).isEqualTo(EntraCloud.GLOBAL);
        assertThat(app.credential(CLIENT, "own-secret").clientId()).isEqualTo(CLIENT);
        assertThatThrownBy(() -> app.endpoints(new AuthorityOverrideGate(false, EntraConnection.OVERRIDE_OPTION)))
                .hasMessageContaining("--spi-storage--entra-users--allow-authority-override=true");
        assertThat(app.endpoints(new AuthorityOverrideGate(true, EntraConnection.OVERRIDE_OPTION)).graphBaseUrl())
                .isEqualTo("https://127.0.0.1:8443/v1.0");
        assertThatThrownBy(() -> EntraConnection.app(config(EntraSyncConfig.REUSE_IDP_CREDENTIALS, "false"), Optional.empty()))
                .hasMessage("Tenant is required.");
    }
}
