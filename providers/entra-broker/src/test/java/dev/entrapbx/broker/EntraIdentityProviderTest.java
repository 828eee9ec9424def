package dev.entrapbx.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.ws.rs.SeBootstrap;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.EntityPart;
import jakarta.ws.rs.core.Link;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.Variant;
import jakarta.ws.rs.ext.RuntimeDelegate;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.broker.provider.IdentityBrokerException;

/**
 * The sign-in side of the broker's guarantees, for stored configurations that never went through
 * {@link EntraIdentityProviderConfig#validate}: an IdP linked to an Organization through the
 * Organizations API, or a value written before a rule existed.
 */
class EntraIdentityProviderTest {

    /**
     * Keycloak's OIDC broker parses a media type in its static initialiser, which needs a JAX-RS
     * runtime; the server has RESTEasy, a unit test has only the API. Media types are all it needs.
     */
    @BeforeAll
    static void mediaTypesOnlyRuntime() {
        RuntimeDelegate.setInstance(new RuntimeDelegate() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> HeaderDelegate<T> createHeaderDelegate(Class<T> type) {
                if (type != MediaType.class) {
                    throw new UnsupportedOperationException(type.getName());
                }
                return (HeaderDelegate<T>) new HeaderDelegate<MediaType>() {
                    @Override
                    public MediaType fromString(String value) {
                        String[] parts = value.split("/", 2);
                        return new MediaType(parts[0], parts.length > 1 ? parts[1] : null);
                    }

                    @Override
                    public String toString(MediaType value) {
                        return value.getType() + "/" + value.getSubtype();
                    }
                };
            }

            @Override
            public UriBuilder createUriBuilder() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Response.ResponseBuilder createResponseBuilder() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Variant.VariantListBuilder createVariantListBuilder() {
                throw new UnsupportedOperationException();
            }

            @Override
            public <T> T createEndpoint(Application application, Class<T> endpointType) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Link.Builder createLinkBuilder() {
                throw new UnsupportedOperationException();
            }

            @Override
            public SeBootstrap.Configuration.Builder createConfigurationBuilder() {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletionStage<SeBootstrap.Instance> bootstrap(Application application, SeBootstrap.Configuration configuration) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletionStage<SeBootstrap.Instance> bootstrap(Class<? extends Application> clazz, SeBootstrap.Configuration configuration) {
                throw new UnsupportedOperationException();
            }

            @Override
            public EntityPart.Builder createEntityPartBuilder(String partName) {
                throw new UnsupportedOperationException();
            }
        });
    }

    private static EntraIdentityProvider provider(EntraIdentityProviderConfig config) {
        return new EntraIdentityProvider(null, config, new TenantIdResolver(Clock.systemUTC()), null);
    }

    @Test
    void aMultiTenantIdentityProviderLinkedToAnOrganizationRefusesEverySignIn() {
        EntraIdentityProviderConfig stored = EntraIdentityProviderConfigTest.multiTenant(
                EntraIdentityProviderConfigTest.TENANT + "##" + EntraIdentityProviderConfigTest.OTHER, false);
        stored.setOrganizationId("org-contoso"); // as POST /organizations/{id}/identity-providers leaves it: not validated
        EntraIdentityProvider idp = provider(stored);

        assertThatThrownBy(() -> idp.validateToken("any.id.token", false))
                .isInstanceOfSatisfying(IdentityBrokerException.class, e -> {
                    assertThat(e.getMessageCode()).isEqualTo(EntraIdentityProvider.MSG_TENANT_NOT_ALLOWED);
                    assertThat(e.getMessage()).contains("organization_multi_tenant")
                            .contains("one identity provider per customer");
                });

        EntraIdentityProviderConfig any = EntraIdentityProviderConfigTest.multiTenant(null, true);
        any.setOrganizationId("org-contoso");
        assertThatThrownBy(() -> provider(any).validateToken("any.id.token", false))
                .isInstanceOf(IdentityBrokerException.class).hasMessageContaining("admits any tenant");
    }

    @Test
    void aSingleAllowedTenantPassesTheOrganizationCheck() {
        EntraIdentityProviderConfig stored = EntraIdentityProviderConfigTest.multiTenant(EntraIdentityProviderConfigTest.TENANT, false);
        stored.setOrganizationId("org-contoso");
        provider(stored).refuseIfOrganizationAdmitsSeveralTenants(); // no exception
    }

    @Test
    void storedNonceAndClockSkewSettingsCannotWeakenSignIn() {
        EntraIdentityProviderConfig stored = EntraIdentityProviderConfigTest.multiTenant(EntraIdentityProviderConfigTest.TENANT, false);
        stored.getConfig().put("disableNonce", "true");
        stored.getConfig().put(EntraIdentityProviderConfig.ALLOWED_CLOCK_SKEW, "3600");
        EntraIdentityProvider idp = provider(stored);
        assertThat(idp.getConfig().isDisableNonce()).isFalse();
        assertThat(idp.getConfig().getConfig()).doesNotContainKey("disableNonce");
        assertThat(idp.getAllowedClockSkew()).isEqualTo(EntraIdentityProviderConfig.MAX_CLOCK_SKEW_SECONDS);
    }
}
