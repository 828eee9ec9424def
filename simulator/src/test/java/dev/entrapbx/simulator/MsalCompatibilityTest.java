package dev.entrapbx.simulator;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.nimbusds.jwt.SignedJWT;
import dev.entrapbx.simulator.support.ClientAssertions.ClientCert;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MSAL4J 1.26.0, unchanged, acquires app tokens from the simulator with a secret and with a certificate. */
class MsalCompatibilityTest extends SimulatorTestSupport {
    private static Fixture fx;
    private static ClientCert cert;

    @BeforeAll
    static void seed() {
        fx = fixture("Msal", "User.Read.All");
        cert = ClientCert.create("msal-client", Duration.ofDays(30));
        sim.directory().addCertificate(fx.clientId(), cert.certificate());
    }

    private static IAuthenticationResult acquire(IClientCredential credential) throws Exception {
        ConfidentialClientApplication app = ConfidentialClientApplication.builder(fx.clientId(), credential)
                .authority(sim.baseUrl() + "/" + fx.tenantId() + "/")
                .instanceDiscovery(false)
                .sslSocketFactory(sim.sslContext().getSocketFactory())
                .build();
        return app.acquireToken(ClientCredentialParameters.builder(Set.of(GRAPH_DEFAULT)).build()).get();
    }

    @Test
    void msalAcquiresAnAppTokenWithASecret() throws Exception {
        IAuthenticationResult result = acquire(ClientCredentialFactory.createFromSecret(fx.secret()));
        assertThat(SignedJWT.parse(result.accessToken()).getJWTClaimsSet().getStringListClaim("roles"))
                .containsExactly("User.Read.All");
        assertThat(graphGet(result.accessToken(), "/v1.0/users?$top=1").statusCode()).isEqualTo(200);
    }

    @Test
    void msalAcquiresAnAppTokenWithACertificate() throws Exception {
        IAuthenticationResult result = acquire(ClientCredentialFactory.createFromCertificate(
                cert.keys().getPrivate(), cert.certificate()));
        assertThat(SignedJWT.parse(result.accessToken()).getJWTClaimsSet().getStringClaim("appidacr")).isEqualTo("2");
        assertThat(sim.requests().last("/" + fx.tenantId() + "/oauth2/v2.0/token")).isPresent();
    }

    @Test
    void msalSurfacesTheAadstsErrorOfAWrongSecret() {
        assertThatThrownBy(() -> acquire(ClientCredentialFactory.createFromSecret("wrong")))
                .hasCauseInstanceOf(MsalServiceException.class)
                .hasMessageContaining("AADSTS7000215");
    }
}
