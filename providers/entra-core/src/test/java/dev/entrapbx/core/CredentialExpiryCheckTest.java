package dev.entrapbx.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.IdentityProviderModel;

/** The daily expiry check covers the IdPs and the user syncs that have their own secret. */
class CredentialExpiryCheckTest {

    private static final Instant NOW = Instant.parse("2027-12-01T10:00:00Z");

    private static IdentityProviderModel idp(String alias, String expiresOn) {
        IdentityProviderModel m = new IdentityProviderModel();
        m.setAlias(alias);
        m.setProviderId(EntraIdpKeys.PROVIDER_ID);
        m.setEnabled(true);
        m.getConfig().put(EntraIdpKeys.SECRET_EXPIRES_ON, expiresOn);
        return m;
    }

    private static ComponentModel sync(String id, String reuse, String expiresOn) {
        ComponentModel c = new ComponentModel();
        c.setId(id);
        c.setName("sync " + id);
        c.setProviderId(EntraIdpKeys.USER_SYNC_PROVIDER_ID);
        if (reuse != null) {
            c.put(EntraIdpKeys.REUSE_IDP_CREDENTIALS, reuse);
        }
        c.put(EntraIdpKeys.CLIENT_SECRET, "s3cret");
        c.put(EntraIdpKeys.SECRET_EXPIRES_ON, expiresOn);
        return c;
    }

    @Test
    void aSyncWithItsOwnSecretIsCheckedLikeAnIdentityProvider() {
        List<CredentialExpiryCheck.Finding> found = CredentialExpiryCheck.findings("r",
                List.of(idp("entra", "2027-12-20")),
                List.of(sync("own", "false", "2027-12-10"), sync("expired", "false", "2027-11-30")), NOW);

        assertThat(found).extracting(CredentialExpiryCheck.Finding::resourcePath)
                .containsExactly("identity-provider/instances/entra", "components/own", "components/expired");
        assertThat(found.get(1).state()).isEqualTo(CredentialExpiry.State.EXPIRING_SOON);
        assertThat(found.get(1).daysLeft()).isEqualTo(8);
        assertThat(found.get(1).what()).isEqualTo("Entra user sync 'sync own'");
        assertThat(found.get(2).state()).isEqualTo(CredentialExpiry.State.EXPIRED);
    }

    @Test
    void aSyncThatReusesTheIdentityProvidersCredentialIsLeftToTheIdentityProvider() {
        assertThat(CredentialExpiryCheck.findings("r", List.of(),
                List.of(sync("reuse", "true", "2027-12-10"), sync("default", null, "2027-12-10")), NOW)).isEmpty();
    }

    @Test
    void farExpiriesOtherComponentsAndUnreadableDatesAreNotReported() {
        ComponentModel other = sync("ldap", "false", "2027-12-10");
        other.setProviderId("ldap");
        IdentityProviderModel disabled = idp("off", "2027-12-10");
        disabled.setEnabled(false);
        assertThat(CredentialExpiryCheck.findings("r", List.of(idp("far", "2028-06-01"), disabled, idp("bad", "31/12/2027")),
                List.of(sync("far", "false", "2028-06-01"), other, sync("bad", "false", "soon")), NOW)).isEmpty();
    }
}
