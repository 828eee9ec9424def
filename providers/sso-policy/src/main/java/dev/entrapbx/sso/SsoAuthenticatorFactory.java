package dev.entrapbx.sso;

import dev.entrapbx.kc.ExtensionInfo;
import dev.entrapbx.kc.StatelessProviderFactory;
import java.util.List;
import java.util.Map;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

/** What the entra-pbx login steps share as authenticator factories: no config, required or disabled. */
abstract class SsoAuthenticatorFactory implements AuthenticatorFactory, ServerInfoAwareProviderFactory,
        StatelessProviderFactory<Authenticator> {

    private static final AuthenticationExecutionModel.Requirement[] CHOICES = {
            AuthenticationExecutionModel.Requirement.REQUIRED, AuthenticationExecutionModel.Requirement.DISABLED};

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return CHOICES.clone();
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return ExtensionInfo.operationalInfo();
    }
}
