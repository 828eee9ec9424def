package dev.entrapbx.branding;

import dev.entrapbx.kc.ExtensionInfo;
import dev.entrapbx.kc.StatelessProviderFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.services.ui.extend.UiTabProvider;
import org.keycloak.services.ui.extend.UiTabProviderFactory;

/**
 * Admin console tab <em>Realm settings &gt; Branding</em>: one field per {@link BrandKey}. Saving
 * validates every value ({@link ComponentValidationException} naming the refused keys, nothing
 * saved) and writes them into the realm attributes {@code brand.*}, which is what the pages read
 * (an empty field removes its attribute). The tab itself is a realm component, as Keycloak stores
 * every admin console tab; it shows what was last saved through it.
 */
public class BrandUiTabFactory implements UiTabProvider, UiTabProviderFactory<ComponentModel>, ServerInfoAwareProviderFactory,
        StatelessProviderFactory<UiTabProvider> {

    /** Tab title and component provider id. */
    public static final String PROVIDER_ID = "Branding";
    static final String TAB = "branding";

    private static final List<ProviderConfigProperty> PROPERTIES = properties();

    private static List<ProviderConfigProperty> properties() {
        ProviderConfigurationBuilder b = ProviderConfigurationBuilder.create();
        for (BrandKey k : BrandKey.values()) {
            boolean longValue = k == BrandKey.LOGO_URL || k == BrandKey.FAVICON_URL || k == BrandKey.BACKGROUND;
            b.property().name(k.field()).label(label(k)).helpText(k.help() + " Realm attribute " + k.key() + ".")
                    .type(longValue ? ProviderConfigProperty.TEXT_TYPE : ProviderConfigProperty.STRING_TYPE).add();
        }
        return b.build();
    }

    private static String label(BrandKey k) {
        return switch (k) {
            case DISPLAY_NAME -> "Display name";
            case LOGO_URL -> "Logo URL";
            case PRIMARY_COLOR -> "Primary colour";
            case ACCENT_COLOR -> "Accent colour";
            case BACKGROUND -> "Background";
            case FAVICON_URL -> "Favicon URL";
            case SUPPORT_URL -> "Support URL";
            case SUPPORT_PHONE -> "Support phone";
            case PRIVACY_URL -> "Privacy URL";
            case TERMS_URL -> "Terms URL";
        };
    }

    /** The tab's fields as brand.* attributes (blank fields left out). */
    static Map<String, String> attributes(ComponentModel model) {
        Map<String, String> m = new LinkedHashMap<>();
        for (BrandKey k : BrandKey.values()) {
            String v = model.get(k.field());
            if (v != null && !v.isBlank()) {
                m.put(k.key(), v.strip());
            }
        }
        return m;
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) {
        List<String> problems = Brand.resolve(attributes(model), Map.of(), realm.getName()).getProblems();
        if (!problems.isEmpty()) {
            throw new ComponentValidationException("Brand not saved: " + String.join("; ", problems));
        }
    }

    @Override
    public void onCreate(KeycloakSession session, RealmModel realm, ComponentModel model) {
        writeAttributes(realm, model);
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        writeAttributes(realm, newModel);
    }

    private static void writeAttributes(RealmModel realm, ComponentModel model) {
        Map<String, String> values = attributes(model);
        for (BrandKey k : BrandKey.values()) {
            String v = values.get(k.key());
            if (v == null) {
                realm.removeAttribute(k.key());
            } else {
                realm.setAttribute(k.key(), v);
            }
        }
    }

    @Override
    public String getPath() {
        return "/:realm/realm-settings/:tab?";
    }

    @Override
    public Map<String, String> getParams() {
        return Map.of("tab", TAB);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Brand of the entra-pbx login and email themes (realm attributes brand.*), validated when saved.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return ExtensionInfo.operationalInfo();
    }

    /** Also the provider: nothing to release (the factory's lifecycle comes from {@link StatelessProviderFactory}). */
    @Override
    public void close() {
    }
}
