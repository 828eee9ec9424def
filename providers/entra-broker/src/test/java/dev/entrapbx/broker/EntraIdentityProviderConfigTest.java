package dev.entrapbx.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.entrapbx.kc.Settings;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.keycloak.common.enums.SslRequired;
import org.keycloak.models.RealmModel;
import dev.entrapbx.core.EntraCertificate;
import org.junit.jupiter.api.BeforeAll;
import org.keycloak.common.crypto.CryptoIntegration;

class EntraIdentityProviderConfigTest {

    static final String README_HEADING = "## Microsoft Entra ID sign-in (identity provider `entra-id`)";

    @Test
    void readmeSettingsTableIsTheDeclaredSettings() {
        assertThat(Settings.readmeRows(Path.of(""), README_HEADING)).as("README's %s settings table must be:%n%s", "entra-id",
                Settings.markdownTable(EntraIdentityProviderConfig.SETTINGS))
                .isEqualTo(Settings.markdownRows(EntraIdentityProviderConfig.SETTINGS));
    }

    @Test
    void thePropertyListLeavesKeycloaksOwnClientFieldsOut() {
        assertThat(EntraIdentityProviderConfig.PROPERTIES).extracting(p -> p.getName())
                .doesNotContain("clientId", "clientSecret")
                .startsWith(EntraIdentityProviderConfig.CLOUD, EntraIdentityProviderConfig.TENANT);
        assertThat(EntraIdentityProviderConfig.PROPERTIES).filteredOn(p -> p.getName().equals(EntraIdentityProviderConfig.CERTIFICATE_VALIDITY_DAYS))
                .singleElement().extracting(p -> p.getDefaultValue()).isEqualTo("365");
    }

    static final String TENANT = "6f1e2d3c-4b5a-4978-8a1b-2c3d4e5f6a7b";
    static final String OTHER = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
    static final String CLIENT = "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9";

    static final RealmModel REALM = (RealmModel) Proxy.newProxyInstance(RealmModel.class.getClassLoader(),
            new Class<?>[] {RealmModel.class}, (proxy, method, args) -> switch (method.getName()) {
                case "getSslRequired" -> SslRequired.EXTERNAL;
                case "getName" -> "test";
                default -> null;
            });

    @BeforeAll
    static void crypto() {
        CryptoIntegration.init(EntraIdentityProviderConfigTest.class.getClassLoader());
    }

    private static EntraIdentityProviderConfig config(boolean overrideAllowed) {
        EntraIdentityProviderConfig c = new EntraIdentityProviderConfig(overrideAllowed);
        c.setAlias("contoso-entra");
        c.setClientId(CLIENT);
        c.setClientSecret("s3cret");
        c.getConfig().put(EntraIdentityProviderConfig.TENANT, TENANT);
        return c;
    }

    @Test
    void singleTenantDerivesEveryEndpointAtSave() {
        EntraIdentityProviderConfig c = config(false);
        c.validate(REALM);
        assertThat(c.getAuthorizationUrl()).isEqualTo("https://login.microsoftonline.com/" + TENANT + "/oauth2/v2.0/authorize");
        assertThat(c.getTokenUrl()).isEqualTo("https://login.microsoftonline.com/" + TENANT + "/oauth2/v2.0/token");
        assertThat(c.getJwksUrl()).isEqualTo("https://login.microsoftonline.com/" + TENANT + "/discovery/v2.0/keys");
        assertThat(c.isValidateSignature()).isTrue();
        assertThat(c.isUseJwksUrl()).isTrue();
        assertThat(c.isPkceEnabled()).isTrue();
        assertThat(c.isDisableUserInfoService()).isTrue();
        assertThat(c.getIssuer()).isNull();
        assertThat(c.getDefaultScope()).isEqualTo("openid profile email");
    }

    @Test
    void chinaCloudUsesItsOwnHosts() {
        EntraIdentityProviderConfig c = config(false);
        c.getConfig().put(EntraIdentityProviderConfig.CLOUD, "china");
        c.validate(REALM);
        assertThat(c.getTokenUrl()).startsWith("https://login.partner.microsoftonline.cn/");
    }

    @Test
    void clientIdMustBeAGuid() {
        EntraIdentityProviderConfig c = config(false);
        c.setClientId("my-app");
        assertThatThrownBy(() -> c.validate(REALM)).hasMessageContaining("Client ID 'my-app' is not a GUID");
    }

    @Test
    void badTenantGuidSaysSo() {
        EntraIdentityProviderConfig c = config(false);
        c.getConfig().put(EntraIdentityProviderConfig.TENANT, "6f1e2d3c-4b5a-4978-8a1b-2c3d4e5f6a7");
        assertThatThrownBy(() -> c.validate(REALM)).hasMessageContaining("is not a valid GUID");
    }

    @Test
    void multiTenantNeedsAnAllowListOrADeliberateAnyTenant() {
        EntraIdentityProviderConfig c = config(false);
        c.getConfig().put(EntraIdentityProviderConfig.TENANT, "organizations");
        assertThatThrownBy(() -> c.validate(REALM)).hasMessageContaining("needs the allowed tenant IDs");

        c.getConfig().put(EntraIdentityProviderConfig.ALLOWED_TENANTS, TENANT + "##" + OTHER.toUpperCase());
        c.validate(REALM);
        assertThat(c.getAllowedTenants()).containsExactly(TENANT, OTHER);

        EntraIdentityProviderConfig any = config(false);
        any.getConfig().put(EntraIdentityProviderConfig.TENANT, "organizations");
        any.getConfig().put(EntraIdentityProviderConfig.ALLOW_ANY_TENANT, "true");
        any.validate(REALM);
        assertThat(any.getAuthorizationUrl()).contains("/organizations/oauth2/v2.0/authorize");
    }

    @Test
    void allowListEntriesMustBeTenantIds() {
        EntraIdentityProviderConfig c = config(false);
        c.getConfig().put(EntraIdentityProviderConfig.TENANT, "organizations");
        c.getConfig().put(EntraIdentityProviderConfig.ALLOWED_TENANTS, "contoso.com");
        assertThatThrownBy(() -> c.validate(REALM)).hasMessageContaining("'contoso.com' is not a tenant ID GUID");
    }

    @Test
    void allowListOutsideMultiTenantModeIsRefused() {
        EntraIdentityProviderConfig c = config(false);
        c.getConfig().put(EntraIdentityProviderConfig.ALLOWED_TENANTS, OTHER);
        assertThatThrownBy(() -> c.validate(REALM)).hasMessageContaining("only apply to multi-tenant mode");
    }

    @Test
    void secretIsRequiredAndTheCredentialTypeMustBeKnown() {
        EntraIdentityProviderConfig c = config(false);
        c.setClientSecret(" ");
        assertThatThrownBy(() -> c.validate(REALM)).hasMessageContaining("Client secret is required");

        EntraIdentityProviderConfig bogus = config(false);
        bogus.getConfig().put(EntraIdentityProviderConfig.CREDENTIAL_TYPE, "password");
        assertThatThrownBy(() -> bogus.validate(REALM)).hasMessageContaining("Unknown credential type 'password'");
    }

    @Test
    void certificateModeGeneratesAKeyPairAndKeepsThePrivateKeyInTheMaskedSecretSlot() {
        EntraIdentityProviderConfig c = config(false);
        c.getConfig().put(EntraIdentityProviderConfig.CREDENTIAL_TYPE, "certificate");
        c.setClientSecret("generate");
        c.validate(REALM);

        String pem = c.getCertificatePem().orElseThrow();
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(c.getClientSecret()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(EntraCertificate.fromPem(pem, c.getClientSecret()).certificate().getSubjectX500Principal().getName())
                .contains("contoso-entra");
        assertThat(c.getClientAuthMethod()).isEqualTo("private_key_jwt");
        assertThat(c.credentialExpiry()).hasValueSatisfying(e ->
                assertThat(e.daysLeft(java.time.Instant.now())).isBetween(363L, 365L));

        // saving again from the console (secret masked) keeps the pair
        c.setClientSecret(EntraIdentityProviderConfig.MASKED_SECRET);
        c.validate(REALM);
        assertThat(c.getCertificatePem()).contains(pem);
    }

    @Test
    void certificateModeRefusesAKeyOfAnotherCertificateAndAnUnreadableCertificate() {
        EntraIdentityProviderConfig first = config(false);
        first.getConfig().put(EntraIdentityProviderConfig.CREDENTIAL_TYPE, "certificate");
        first.validate(REALM);
        EntraIdentityProviderConfig second = config(false);
        second.getConfig().put(EntraIdentityProviderConfig.CREDENTIAL_TYPE, "certificate");
        second.validate(REALM);

        EntraIdentityProviderConfig mixed = config(false);
        mixed.getConfig().put(EntraIdentityProviderConfig.CREDENTIAL_TYPE, "certificate");
        mixed.getConfig().put(EntraIdentityProviderConfig.CERTIFICATE, first.getCertificatePem().orElseThrow());
        mixed.setClientSecret(second.getClientSecret());
        assertThatThrownBy(() -> mixed.validate(REALM)).hasMessageContaining("does not belong to the certificate")
                .hasMessageContaining("Clear 'Certificate'");

        EntraIdentityProviderConfig garbage = config(false);
        garbage.getConfig().put(EntraIdentityProviderConfig.CREDENTIAL_TYPE, "certificate");
        garbage.getConfig().put(EntraIdentityProviderConfig.CERTIFICATE, "hello");
        assertThatThrownBy(() -> garbage.validate(REALM)).hasMessageContaining("not a PEM-encoded X.509 certificate");

        EntraIdentityProviderConfig vault = config(false);
        vault.getConfig().put(EntraIdentityProviderConfig.CREDENTIAL_TYPE, "certificate");
        vault.setClientSecret("${vault.entra_key}");
        assertThatThrownBy(() -> vault.validate(REALM)).hasMessageContaining("paste the matching certificate");

        EntraIdentityProviderConfig tooLong = config(false);
        tooLong.getConfig().put(EntraIdentityProviderConfig.CREDENTIAL_TYPE, "certificate");
        tooLong.getConfig().put(EntraIdentityProviderConfig.CERTIFICATE_VALIDITY_DAYS, "5000");
        assertThatThrownBy(() -> tooLong.validate(REALM)).hasMessageContaining("between 1 and 1095 days");
    }

    @Test
    void secretExpiryMustBeADate() {
        EntraIdentityProviderConfig c = config(false);
        c.getConfig().put(EntraIdentityProviderConfig.SECRET_EXPIRES_ON, "31/12/2027");
        assertThatThrownBy(() -> c.validate(REALM)).hasMessageContaining("use YYYY-MM-DD");
        c.getConfig().put(EntraIdentityProviderConfig.SECRET_EXPIRES_ON, "2027-12-31");
        c.validate(REALM);
        assertThat(c.getSecretExpiresOn()).hasValueSatisfying(d -> assertThat(d.getYear()).isEqualTo(2027));
    }

    @Test
    void authorityOverrideOnlyWhereTheServerAllowsIt() {
        EntraIdentityProviderConfig refused = config(false);
        refused.getConfig().put(EntraIdentityProviderConfig.AUTHORITY_HOST_OVERRIDE, "https://127.0.0.1:8443");
        assertThatThrownBy(() -> refused.validate(REALM)).hasMessageContaining("simulator only")
                .hasMessageContaining("allow-authority-override");

        EntraIdentityProviderConfig allowed = config(true);
        allowed.getConfig().put(EntraIdentityProviderConfig.AUTHORITY_HOST_OVERRIDE, "https://127.0.0.1:8443");
        allowed.validate(REALM);
        assertThat(allowed.getTokenUrl()).isEqualTo("https://127.0.0.1:8443/" + TENANT + "/oauth2/v2.0/token");

        EntraIdentityProviderConfig http = config(true);
        http.getConfig().put(EntraIdentityProviderConfig.AUTHORITY_HOST_OVERRIDE, "http://127.0.0.1:8443");
        assertThatThrownBy(() -> http.validate(REALM)).hasMessageContaining("must be an https URL");
    }

    @Test
    void unknownCloudIsNamed() {
        EntraIdentityProviderConfig c = config(false);
        c.getConfig().put(EntraIdentityProviderConfig.CLOUD, "germany");
        assertThatThrownBy(() -> c.validate(REALM)).hasMessageContaining("Unknown cloud 'germany'").hasMessageContaining("china");
    }

    @Test
    void selectAccountSetsThePrompt() {
        EntraIdentityProviderConfig c = config(false);
        c.getConfig().put(EntraIdentityProviderConfig.SELECT_ACCOUNT, "true");
        c.validate(REALM);
        assertThat(c.getConfig().get("prompt")).isEqualTo("select_account");
        c.getConfig().put(EntraIdentityProviderConfig.SELECT_ACCOUNT, "false");
        c.applyDerivedEndpoints();
        assertThat(c.getConfig().get("prompt")).isNull();
    }

    @Test
    void nonceIsForcedWhateverWasStored() {
        EntraIdentityProviderConfig c = config(false);
        c.getConfig().put("disableNonce", "true"); // imported or written through the admin REST API
        assertThat(c.isDisableNonce()).as("never read as off").isFalse();
        c.validate(REALM);
        assertThat(c.getConfig()).doesNotContainKey("disableNonce");

        EntraIdentityProviderConfig stored = config(false);
        stored.getConfig().put("disableNonce", "true");
        stored.applyDerivedEndpoints(); // what the provider does with a stored config at every sign-in
        assertThat(stored.getConfig()).doesNotContainKey("disableNonce");
        assertThat(stored.isDisableNonce()).isFalse();
    }

    @Test
    void clockSkewAboveFiveMinutesIsRefusedAtSaveAndClampedAtSignIn() {
        EntraIdentityProviderConfig ok = config(false);
        ok.getConfig().put(EntraIdentityProviderConfig.ALLOWED_CLOCK_SKEW, "300");
        ok.validate(REALM);
        assertThat(ok.getAllowedClockSkew()).isEqualTo(300);

        EntraIdentityProviderConfig large = config(false);
        large.getConfig().put(EntraIdentityProviderConfig.ALLOWED_CLOCK_SKEW, "86400");
        assertThatThrownBy(() -> large.validate(REALM)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Allowed clock skew must be between 0 and 300 seconds (got 86400)")
                .hasMessageContaining("Fix the server's clock");

        EntraIdentityProviderConfig negative = config(false);
        negative.getConfig().put(EntraIdentityProviderConfig.ALLOWED_CLOCK_SKEW, "-5");
        assertThatThrownBy(() -> negative.validate(REALM)).hasMessageContaining("between 0 and 300 seconds (got -5)");

        EntraIdentityProviderConfig word = config(false);
        word.getConfig().put(EntraIdentityProviderConfig.ALLOWED_CLOCK_SKEW, "lots");
        assertThatThrownBy(() -> word.validate(REALM)).hasMessageContaining("'lots' is not a number of seconds");

        // a value stored before this rule (or edited in the database) is clamped where Keycloak reads it
        EntraIdentityProviderConfig old = config(false);
        old.getConfig().put(EntraIdentityProviderConfig.ALLOWED_CLOCK_SKEW, "86400");
        assertThat(old.getAllowedClockSkew()).isEqualTo(EntraIdentityProviderConfig.MAX_CLOCK_SKEW_SECONDS);
        old.getConfig().put(EntraIdentityProviderConfig.ALLOWED_CLOCK_SKEW, "-60");
        assertThat(old.getAllowedClockSkew()).isZero();
    }

    static EntraIdentityProviderConfig multiTenant(String allowedTenants, boolean allowAny) {
        EntraIdentityProviderConfig c = config(false);
        c.getConfig().put(EntraIdentityProviderConfig.TENANT, "organizations");
        if (allowedTenants != null) {
            c.getConfig().put(EntraIdentityProviderConfig.ALLOWED_TENANTS, allowedTenants);
        }
        if (allowAny) {
            c.getConfig().put(EntraIdentityProviderConfig.ALLOW_ANY_TENANT, "true");
        }
        return c;
    }

    @Test
    void anOrganizationsIdentityProviderAdmittingSeveralTenantsCannotServeAnOrganization() {
        EntraIdentityProviderConfig several = multiTenant(TENANT + "##" + OTHER, false);
        several.validate(REALM); // not linked to an organization: a shared multi-tenant app is fine
        several.setOrganizationId("org-contoso");
        assertThatThrownBy(() -> several.validate(REALM)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'contoso-entra' is linked to an Organization but admits 2 tenants")
                .hasMessageContaining(OTHER)
                .hasMessageContaining("one identity provider per customer")
                .hasMessageContaining("single tenant");

        EntraIdentityProviderConfig any = multiTenant(null, true);
        any.setOrganizationId("org-contoso");
        assertThatThrownBy(() -> any.validate(REALM)).hasMessageContaining("admits any tenant ('Allow any tenant' is on)");

        EntraIdentityProviderConfig one = multiTenant(TENANT, false);
        one.setOrganizationId("org-contoso");
        one.validate(REALM);
        assertThat(one.organizationTenantProblem()).isEmpty();

        EntraIdentityProviderConfig single = config(false);
        single.setOrganizationId("org-contoso");
        single.validate(REALM);
        assertThat(single.organizationTenantProblem()).isEmpty();
    }
}
