package dev.entrapbx.broker;

import dev.entrapbx.core.AppTokens;
import dev.entrapbx.core.AuthorityOverrideGate;
import dev.entrapbx.core.CredentialExpiryCheck;
import dev.entrapbx.graph.VerifiedDomains;
import dev.entrapbx.kc.ExtensionInfo;
import dev.entrapbx.kc.OncePerCluster;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.keycloak.Config;
import org.keycloak.broker.provider.AbstractIdentityProviderFactory;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

/** Identity provider type "Microsoft Entra ID" ({@value #PROVIDER_ID}). */
public class EntraIdentityProviderFactory extends AbstractIdentityProviderFactory<EntraIdentityProvider>
        implements ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = dev.entrapbx.core.EntraIdpKeys.PROVIDER_ID;
    /** Server option: --spi-identity_provider--entra-id--allow-authority-override=true (development only). */
    public static final String ALLOW_AUTHORITY_OVERRIDE = AuthorityOverrideGate.OPTION;
    /** The server option as typed on the command line, named when an override is refused. */
    public static final String OVERRIDE_OPTION = "--spi-identity_provider--" + PROVIDER_ID + "--" + ALLOW_AUTHORITY_OVERRIDE;

    /** Declared once, with the typed getters and the checks: {@link EntraIdentityProviderConfig#SETTINGS}. */
    private static final List<ProviderConfigProperty> CONFIG_PROPERTIES = EntraIdentityProviderConfig.PROPERTIES;

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

    /** Whether this server allows the simulator's authority-host override (server option {@value #ALLOW_AUTHORITY_OVERRIDE}). */
    public AuthorityOverrideGate overrideGate() {
        return overrideGate;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // first run a minute after start (a server restarted daily still warns), then every interval
        OncePerCluster.scheduleOnceStarted(factory, new CredentialExpiryCheck(Clock.systemUTC()),
                Math.min(60_000L, credentialCheckIntervalMillis), credentialCheckIntervalMillis);
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
