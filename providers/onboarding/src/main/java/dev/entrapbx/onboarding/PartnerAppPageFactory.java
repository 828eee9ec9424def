package dev.entrapbx.onboarding;

import dev.entrapbx.broker.EntraIdentityProviderFactory;
import dev.entrapbx.core.AuthorityOverrideGate;
import dev.entrapbx.core.EntraApp;
import dev.entrapbx.core.EntraCertificate;
import dev.entrapbx.core.EntraIdpKeys;
import dev.entrapbx.kc.ExtensionInfo;
import dev.entrapbx.kc.StatelessProviderFactory;
import dev.entrapbx.kc.ValidationMessages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.broker.provider.IdentityProvider;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.services.ui.extend.UiPageProvider;
import org.keycloak.services.ui.extend.UiPageProviderFactory;

/**
 * Admin console page <em>Microsoft 365 partner app</em> (left menu, Keycloak's declarative UI): the
 * realm's one multi-tenant Entra app, {@link PartnerApp}. Saving refuses a second one, an unusable
 * credential or a refused simulator override with what to fix; in certificate mode it generates the
 * key pair. A save copies the app's client id and credential into every identity provider customer
 * onboarding made from it, so a renewed secret reaches all customers at once.
 */
public class PartnerAppPageFactory implements UiPageProvider, UiPageProviderFactory<ComponentModel>, ServerInfoAwareProviderFactory,
        StatelessProviderFactory<UiPageProvider> {

    /** Page title and component provider id. */
    public static final String PROVIDER_ID = "Microsoft 365 partner app";
    private static final Logger LOG = Logger.getLogger(PartnerAppPageFactory.class);

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "The partner's multi-tenant Entra app: customers onboard by consenting to it (entra-pbx customer onboarding).";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PartnerApp.PROPERTIES;
    }

    @Override
    public Map<String, Object> getTypeMetadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("displayFields", List.of(PartnerApp.DISPLAY_NAME, EntraIdpKeys.CLIENT_ID, EntraIdpKeys.CREDENTIAL_TYPE));
        return m;
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) {
        PartnerApp app = PartnerApp.of(model);
        List<String> problems = new ArrayList<>(app.problems());
        PartnerApp.of(realm).filter(other -> !Objects.equals(other.model().getId(), model.getId()))
                .ifPresent(other -> problems.add("The realm has a partner app already ('" + other.model().getName()
                        + "'): edit that one. One multi-tenant app serves all of a partner's customers."));
        try {
            overrideGate(session).check(app.app().authorityHostOverride());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (problems.isEmpty()) {
            String secret = model.get(EntraIdpKeys.CLIENT_SECRET);
            if (app.credentialType() == EntraApp.CredentialType.CERTIFICATE) {
                if (app.certificatePem().isEmpty() || "generate".equalsIgnoreCase(secret == null ? "" : secret.trim())) {
                    EntraCertificate c = EntraCertificate.generate("CN=" + realm.getName() + " partner app", EntraCertificate.DEFAULT_VALIDITY,
                            Instant.now());
                    model.put(EntraIdpKeys.CERTIFICATE, c.certificatePem());
                    model.put(EntraIdpKeys.CLIENT_SECRET, c.privateKeyPem());
                } else {
                    try {
                        if (!secret.trim().startsWith("${vault.")) {
                            EntraCertificate.fromPem(app.certificatePem().get(), secret);
                        }
                    } catch (IllegalArgumentException e) {
                        problems.add("The certificate and private key do not fit together (" + e.getMessage() + "): clear Certificate and "
                                + "type 'generate' into Client secret to create a new key pair.");
                    }
                }
            } else if (secret != null && secret.contains("-----BEGIN")) {
                problems.add("Client secret holds a private key (left from certificate mode): paste the secret's Value.");
            }
        }
        if (!problems.isEmpty()) {
            throw new ComponentValidationException(ValidationMessages.literal("Partner app not saved: " + String.join(" ", problems)));
        }
        if (model.getName() == null || model.getName().isBlank()) {
            model.setName(app.displayName());
        }
    }

    /** The identity provider's gate: the partner app's settings end up in identity providers. */
    static AuthorityOverrideGate overrideGate(KeycloakSession session) {
        Object factory = session.getKeycloakSessionFactory().getProviderFactory(IdentityProvider.class, EntraIdentityProviderFactory.PROVIDER_ID);
        return factory instanceof EntraIdentityProviderFactory f ? f.overrideGate()
                : AuthorityOverrideGate.refused(EntraIdentityProviderFactory.OVERRIDE_OPTION);
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        int updated = copyToIdentityProviders(session, newModel);
        if (updated > 0) {
            LOG.infof("Partner app of realm %s saved: its credentials were copied into %d onboarded customers' identity providers",
                    realm.getName(), updated);
        }
    }

    /** Copies the partner app's connection settings into every identity provider onboarding made from it; how many changed. */
    static int copyToIdentityProviders(KeycloakSession session, ComponentModel partnerApp) {
        int changed = 0;
        for (IdentityProviderModel idp : session.identityProviders().getAllStream(Map.of(), null, null)
                .filter(i -> Boolean.parseBoolean(i.getConfig().get(EntraIdpKeys.FROM_PARTNER_APP))).toList()) {
            boolean differs = false;
            for (String key : PartnerApp.COPIED_TO_IDENTITY_PROVIDERS) {
                String value = partnerApp.get(key);
                if (!Objects.equals(value, idp.getConfig().get(key))) {
                    differs = true;
                    if (value == null) {
                        idp.getConfig().remove(key);
                    } else {
                        idp.getConfig().put(key, value);
                    }
                }
            }
            if (differs) {
                session.identityProviders().update(idp);
                changed++;
            }
        }
        return changed;
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return ExtensionInfo.operationalInfo();
    }

    @Override
    public void close() {
    }
}
