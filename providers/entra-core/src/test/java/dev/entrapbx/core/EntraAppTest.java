package dev.entrapbx.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.common.crypto.CryptoIntegration;
import org.keycloak.component.ComponentModel;

/** One model of an Entra app, from an identity provider's settings or a component's own. */
class EntraAppTest {

    private static final String TENANT = "11111111-2222-3333-4444-555555555555";
    private static final String CLIENT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    private static final AuthorityOverrideGate REFUSED = AuthorityOverrideGate.refused("--spi-x--y--allow-authority-override");
    private static final AuthorityOverrideGate ALLOWED = new AuthorityOverrideGate(true, "--spi-x--y--allow-authority-override");

    @BeforeAll
    static void crypto() {
        CryptoIntegration.init(EntraAppTest.class.getClassLoader());
    }

    private static Map<String, String> idp() {
        Map<String, String> c = new HashMap<>();
        c.put(EntraIdpKeys.CLOUD, "us-government");
        c.put(EntraIdpKeys.TENANT, TENANT);
        c.put(EntraIdpKeys.CLIENT_ID, CLIENT);
        c.put(EntraIdpKeys.CLIENT_SECRET, "${vault.entra}");
        return c;
    }

    @Test
    void identityProviderSettings() {
        EntraApp app = EntraApp.ofIdentityProvider("entra", idp());
        assertThat(app.cloud()).isEqualTo(EntraCloud.US_GOVERNMENT);
        assertThat(app.tenant().value()).isEqualTo(TENANT);
        assertThat(app.credentialType()).isEqualTo(EntraApp.CredentialType.SECRET);
        assertThat(app.isSecretVaultReference()).isTrue();
        assertThat(app.endpoints(REFUSED).tokenEndpoint()).isEqualTo("https://login.microsoftonline.us/" + TENANT + "/oauth2/v2.0/token");
        assertThat(app.withTenant("contoso.com").tenant().value()).isEqualTo("contoso.com");
        assertThat(app.toString()).doesNotContain("vault");
    }

    @Test
    void theOverrideGateIsOneCheck() {
        Map<String, String> c = idp();
        c.put(EntraIdpKeys.AUTHORITY_HOST_OVERRIDE, "https://127.0.0.1:8443/");
        EntraApp app = EntraApp.ofIdentityProvider("entra", c);
        assertThatThrownBy(() -> app.endpoints(REFUSED)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("simulator only").hasMessageContaining("--spi-x--y--allow-authority-override=true");
        assertThat(app.endpoints(ALLOWED).graphBaseUrl()).isEqualTo("https://127.0.0.1:8443/v1.0");
        c.put(EntraIdpKeys.AUTHORITY_HOST_OVERRIDE, "http://127.0.0.1:8443");
        assertThatThrownBy(() -> app.endpoints(ALLOWED)).hasMessageContaining("must be an https URL");
    }

    @Test
    void unknownValuesAreRefusedWithWhatToType() {
        Map<String, String> c = idp();
        c.put(EntraIdpKeys.CLOUD, "mars");
        c.put(EntraIdpKeys.CREDENTIAL_TYPE, "password");
        EntraApp app = EntraApp.ofIdentityProvider("entra", c);
        assertThatThrownBy(app::cloud).hasMessageContaining("Unknown cloud 'mars'").hasMessageContaining("global, us-government");
        assertThatThrownBy(app::credentialType).hasMessageContaining("use 'secret' or 'certificate'");
    }

    @Test
    void certificateExpiryAndCredential() {
        EntraCertificate cert = EntraCertificate.generate("CN=test", Duration.ofDays(10), Instant.now());
        Map<String, String> c = idp();
        c.put(EntraIdpKeys.CREDENTIAL_TYPE, "certificate");
        c.put(EntraIdpKeys.CERTIFICATE, cert.certificatePem());
        EntraApp app = EntraApp.ofIdentityProvider("entra", c);
        assertThat(app.credentialExpiry()).hasValueSatisfying(e -> assertThat(e.expiresAt()).isEqualTo(cert.notAfter()));
        assertThat(app.credential(CLIENT, cert.privateKeyPem()).toString()).contains("certificate");
        assertThatThrownBy(() -> app.credential(CLIENT, "not a key")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aComponentsOwnSettingsUseTheSameKeysAndOnlyASecret() {
        ComponentModel sync = new ComponentModel();
        sync.setName("sync");
        sync.put(EntraIdpKeys.TENANT, TENANT);
        sync.put(EntraIdpKeys.CLIENT_ID, CLIENT);
        sync.put(EntraIdpKeys.CLIENT_SECRET, "s3cret");
        sync.put(EntraIdpKeys.CREDENTIAL_TYPE, "certificate");
        sync.put(EntraIdpKeys.SECRET_EXPIRES_ON, "2030-01-31");
        assertThat(EntraApp.ownSettings(sync)).isEmpty(); // reuses the IdP's by default

        sync.put(EntraIdpKeys.REUSE_IDP_CREDENTIALS, "false");
        EntraApp app = EntraApp.ownSettings(sync).orElseThrow();
        assertThat(app.cloud()).isEqualTo(EntraCloud.GLOBAL);
        assertThat(app.credentialType()).isEqualTo(EntraApp.CredentialType.SECRET);
        assertThat(app.credentialExpiry()).hasValueSatisfying(e -> assertThat(e.expiresAt()).isEqualTo(Instant.parse("2030-01-31T00:00:00Z")));
        assertThat(app.credential(CLIENT, "s3cret").toString()).contains("secret").doesNotContain("s3cret");
    }

    @Test
    void vaultReferences() {
        assertThat(VaultSecrets.isReference(" ${vault.entra_secret} ")).isTrue();
        assertThat(VaultSecrets.isReference("${vault.}")).isFalse();
        assertThat(VaultSecrets.isReference("plain")).isFalse();
        assertThat(VaultSecrets.isReference(null)).isFalse();
    }
}
