package dev.entrapbx.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;

class SsoPolicyTest {

    private static ComponentModel component(String... keyValues) {
        ComponentModel c = new ComponentModel();
        c.setId("c1");
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            config.add(keyValues[i], keyValues[i + 1]);
        }
        c.setConfig(config);
        return c;
    }

    @Test
    void readsAnOrganizationPolicyNullSafeAndCaseInsensitive() {
        SsoPolicy p = SsoPolicy.of(component(SsoPolicy.ORGANIZATION, " contoso ", SsoPolicy.SSO_ENABLED, "FALSE",
                SsoPolicy.EXCLUDED_USERS, " Admin@Contoso.com", SsoPolicy.EXCLUDED_USERS, " ", SsoPolicy.EXCLUDED_GROUP, "  "));
        assertThat(p.organization()).contains("contoso");
        assertThat(p.isPartnerPortal()).isFalse();
        assertThat(p.ssoEnabled()).isFalse();
        assertThat(p.excludedUsers()).containsExactly("admin@contoso.com");
        assertThat(p.excludedGroup()).isEmpty();
        assertThat(p.identityProvider()).isEmpty();
        assertThat(p.excludes(null, "ADMIN@contoso.com ")).isTrue();
        assertThat(p.excludes("someone@contoso.com")).isFalse();
    }

    @Test
    void ssoIsOnUnlessSwitchedOffAndNoOrganizationMeansPartnerPortal() {
        SsoPolicy p = SsoPolicy.of(component(SsoPolicy.IDENTITY_PROVIDER, "partner-entra", SsoPolicy.DOMAINS, "Partner-A.example"));
        assertThat(p.ssoEnabled()).isTrue();
        assertThat(p.isPartnerPortal()).isTrue();
        assertThat(p.domains()).containsExactly("partner-a.example");
        assertThat(SsoPolicy.of(new ComponentModel()).ssoEnabled()).isTrue();
        assertThat(p.toString()).contains("partner portal").contains("sso on");
    }

    @Test
    void domainOfAnAddress() {
        assertThat(dev.entrapbx.kc.EmailAddresses.domainOf("Adele@Contoso.COM")).contains("contoso.com");
        for (String notAnAddress : List.of("adele", "@contoso.com", "adele@", "")) {
            assertThat(dev.entrapbx.kc.EmailAddresses.domainOf(notAnAddress)).as(notAnAddress).isEmpty();
        }
        assertThat(dev.entrapbx.kc.EmailAddresses.domainOf(null)).isEmpty();
    }

    @Test
    void onlyPlausibleAddressesAreRememberedOrShownBack() {
        assertThat(LastEmailCookie.plausible("adele.vance+pbx@contoso.com")).isTrue();
        for (String bad : List.of("", " ", "a b@c.com", "<script>@x.com", "a\"@b.com", "x".repeat(255))) {
            assertThat(LastEmailCookie.plausible(bad)).as(bad).isFalse();
        }
        assertThat(LastEmailCookie.plausible(null)).isFalse();
    }
}
