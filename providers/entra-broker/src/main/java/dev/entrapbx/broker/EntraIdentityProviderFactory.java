package dev.entrapbx.broker;

import dev.entrapbx.core.AppTokens;
import dev.entrapbx.core.AuthorityOverrideGate;
import dev.entrapbx.core.CredentialExpiryCheck;
import dev.entrapbx.core.EntraApp;
import dev.entrapbx.core.EntraCloud;
import dev.entrapbx.graph.VerifiedDomains;
import dev.entrapbx.kc.ExtensionInfo;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.keycloak.Config;
import org.keycloak.broker.provider.AbstractIdentityProviderFactory;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.services.scheduled.ClusterAwareScheduledTaskRunner;
import org.keycloak.timer.TimerProvider;

/** Identity provider type "Microsoft Entra ID" ({@value #PROVIDER_ID}). */
public class EntraIdentityProviderFactory extends AbstractIdentityProviderFactory<EntraIdentityProvider>
        implements ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = dev.entrapbx.core.EntraIdpKeys.PROVIDER_ID;
    /** Server option: --spi-identity_provider--entra-id--allow-authority-override=true (development only). */
    public static final String ALLOW_AUTHORITY_OVERRIDE = AuthorityOverrideGate.OPTION;
    /** The server option as typed on the command line, named when an override is refused. */
    static final String OVERRIDE_OPTION = "--spi-identity_provider--" + PROVIDER_ID + "--" + ALLOW_AUTHORITY_OVERRIDE;

    private static final List<ProviderConfigProperty> CONFIG_PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(EntraIdentityProviderConfig.CLOUD).label("Cloud")
            .helpText("Microsoft cloud of the customer's tenant. Endpoints are derived from it. " + EntraCloud.optionHelp())
            .type(ProviderConfigProperty.LIST_TYPE)
            .options(Arrays.stream(EntraCloud.values()).map(EntraCloud::id).toList())
            .defaultValue(EntraCloud.GLOBAL.id()).add()
            .property().name(EntraIdentityProviderConfig.TENANT).label("Tenant")
            .helpText("Directory (tenant) ID GUID or a verified domain of the customer's tenant; "
                    + "'organizations' for a multi-tenant app (then list the allowed tenant IDs).")
            .type(ProviderConfigProperty.STRING_TYPE).required(true).add()
            .property().name(EntraIdentityProviderConfig.ALLOWED_TENANTS).label("Allowed tenant IDs")
            .helpText("Multi-tenant only: the directory (tenant) IDs whose users may sign in. A token of any other tenant is refused. "
                    + "An identity provider linked to an Organization may list one tenant only (one identity provider per customer).")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE).add()
            .property().name(EntraIdentityProviderConfig.ALLOW_ANY_TENANT).label("Allow any tenant")
            .helpText("Multi-tenant only: admit every Entra tenant. Leave off unless any company in the world may sign in. "
                    + "Refused for an identity provider linked to an Organization.")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false").add()
            .property().name(EntraIdentityProviderConfig.CREDENTIAL_TYPE).label("Credential type")
            .helpText("How Keycloak authenticates to Entra. 'secret': paste the secret's Value into Client secret. "
                    + "'certificate': leave Certificate empty and type 'generate' into Client secret; on save Keycloak creates "
                    + "a key pair, keeps the private key in the (masked) Client secret and shows the certificate to upload to Entra.")
            .type(ProviderConfigProperty.LIST_TYPE)
            .options(Arrays.stream(EntraApp.CredentialType.values()).map(EntraApp.CredentialType::id).toList())
            .defaultValue(EntraApp.CredentialType.SECRET.id()).add()
            .property().name(EntraIdentityProviderConfig.CERTIFICATE).label("Certificate (upload to Entra)")
            .helpText("Certificate mode: the public certificate (PEM) to upload under Certificates & secrets > Certificates of the "
                    + "app registration. Generated on save when empty; clear it and save to generate a new key pair.")
            .type(ProviderConfigProperty.TEXT_TYPE).add()
            .property().name(EntraIdentityProviderConfig.CERTIFICATE_VALIDITY_DAYS).label("Certificate validity (days)")
            .helpText("Validity of a generated certificate, 1 to 1095 days. Warnings start 30 days before it ends.")
            .type(ProviderConfigProperty.STRING_TYPE).defaultValue("365").add()
            .property().name(EntraIdentityProviderConfig.SECRET_EXPIRES_ON).label("Client secret expires on")
            .helpText("Expiry date of the client secret (YYYY-MM-DD), as shown under Certificates & secrets.")
            .type(ProviderConfigProperty.STRING_TYPE).add()
            .property().name(EntraIdentityProviderConfig.VERIFY_EMAIL_DOMAIN_VIA_GRAPH).label("Prove emails with the tenant's verified domains")
            .helpText("An existing account is linked automatically only when Entra proves the email: the xms_edov claim, or (when on) "
                    + "the email's domain is a verified domain of the user's tenant, read from Graph /domains. Needs the application "
                    + "permission Domain.Read.All. Otherwise the person confirms the link by signing in to the existing account.")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true").add()
            .property().name(EntraIdentityProviderConfig.DOMAIN_HINT).label("Domain hint")
            .helpText("Sent as domain_hint to skip Microsoft's account picker. Empty: the domain of the user's login hint.")
            .type(ProviderConfigProperty.STRING_TYPE).add()
            .property().name(EntraIdentityProviderConfig.SELECT_ACCOUNT).label("Always show account picker")
            .helpText("Send prompt=select_account so users with several Microsoft accounts choose one.")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false").add()
            .property().name(EntraIdentityProviderConfig.AUTHORITY_HOST_OVERRIDE).label("Authority host override (simulator only)")
            .helpText("For the Entra simulator in development and tests only: replaces Microsoft's login and Graph hosts. "
                    + "Refused unless the server allows it.")
            .type(ProviderConfigProperty.STRING_TYPE).add()
            .build();

    /** Server option: seconds between credential expiry checks (default one day). */
    public static final String CREDENTIAL_CHECK_INTERVAL = "credential-check-interval";

    private final TenantIdResolver tenantIdResolver = new TenantIdResolver(Clock.systemUTC());
    private final VerifiedDomains verifiedDomains = new VerifiedDomains(AppTokens.shared(), Clock.systemUTC());
    private AuthorityOverrideGate overrideGate = AuthorityOverrideGate.refused(OVERRIDE_OPTION);
    private long credentialCheckIntervalMillis;

    @Override
    public void init(Config.Scope config) {
        overrideGate = new AuthorityOverrideGate(config.getBoolean(ALLOW_AUTHORITY_OVERRIDE, false), OVERRIDE_OPTION);
        credentialCheckIntervalMillis = Math.max(10, config.getLong(CREDENTIAL_CHECK_INTERVAL, 86_400L)) * 1000L;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                // first run a minute after start (a server restarted daily still warns), then every interval
                KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(TimerProvider.class).schedule(
                        new ClusterAwareScheduledTaskRunner(factory, new CredentialExpiryCheck(Clock.systemUTC()), credentialCheckIntervalMillis),
                        Math.min(60_000L, credentialCheckIntervalMillis), credentialCheckIntervalMillis));
            }
        });
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getName() {
        return "Microsoft Entra ID";
    }

    @Override
    public String getHelpText() {
        return "Sign in with Microsoft Entra ID (work or school accounts), restricted to the customer's tenant(s).";
    }

    @Override
    public EntraIdentityProvider create(KeycloakSession session, IdentityProviderModel model) {
        return new EntraIdentityProvider(session, new EntraIdentityProviderConfig(model, overrideGate), tenantIdResolver,
                verifiedDomains);
    }

    @Override
    public EntraIdentityProviderConfig createConfig() {
        return new EntraIdentityProviderConfig(overrideGate);
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG_PROPERTIES;
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return ExtensionInfo.operationalInfo();
    }
}
