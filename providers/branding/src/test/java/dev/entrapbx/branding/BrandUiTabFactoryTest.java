package dev.entrapbx.branding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.RealmModel;

class BrandUiTabFactoryTest {

    private final BrandUiTabFactory tab = new BrandUiTabFactory();
    private final Map<String, String> attributes = new LinkedHashMap<>();
    /** A realm that records attribute writes; nothing else is called. */
    private final RealmModel realm = (RealmModel) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {RealmModel.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "getName" -> "partner";
                case "setAttribute" -> attributes.put((String) args[0], (String) args[1]);
                case "removeAttribute" -> attributes.remove((String) args[0]);
                default -> throw new UnsupportedOperationException(method.getName());
            });

    @Test
    void oneFieldPerBrandKeyWithoutTheDottedPrefix() {
        assertThat(tab.getConfigProperties()).extracting(p -> p.getName())
                .containsExactly("displayName", "logoUrl", "primaryColor", "accentColor", "background", "faviconUrl",
                        "supportUrl", "supportPhone", "privacyUrl", "termsUrl");
        assertThat(tab.getParams()).containsEntry("tab", "branding");
    }

    @Test
    void refusedValuesAreNamedAndNothingIsWritten() {
        ComponentModel model = model(Map.of("displayName", "Delta", "primaryColor", "blue", "supportUrl", "javascript:alert(1)"));
        assertThatThrownBy(() -> tab.validateConfiguration(null, realm, model))
                .isInstanceOf(ComponentValidationException.class)
                .hasMessageContaining("brand.primaryColor").hasMessageContaining("brand.supportUrl")
                .hasMessageNotContaining("javascript");
        assertThat(attributes).isEmpty();
    }

    @Test
    void savingWritesTheRealmAttributesAndEmptyFieldsRemoveThem() {
        attributes.put("brand.termsUrl", "https://old.example/terms");
        ComponentModel model = model(Map.of("displayName", " Delta Voice ", "primaryColor", "#2e7d32", "termsUrl", ""));
        tab.validateConfiguration(null, realm, model);
        tab.onCreate(null, realm, model);
        assertThat(attributes).containsExactlyInAnyOrderEntriesOf(Map.of("brand.displayName", "Delta Voice", "brand.primaryColor", "#2e7d32"));

        tab.onUpdate(null, realm, model, model(Map.of("displayName", "Delta")));
        assertThat(attributes).containsExactlyEntriesOf(Map.of("brand.displayName", "Delta"));
    }

    private static ComponentModel model(Map<String, String> values) {
        ComponentModel m = new ComponentModel();
        values.forEach(m::put);
        return m;
    }
}
