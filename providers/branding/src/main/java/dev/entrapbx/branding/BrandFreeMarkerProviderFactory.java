package dev.entrapbx.branding;

import dev.entrapbx.kc.ExtensionInfo;
import dev.entrapbx.kc.StatelessProviderFactory;
import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.theme.freemarker.FreeMarkerProvider;
import org.keycloak.theme.freemarker.FreeMarkerProviderFactory;

/**
 * FreeMarker provider {@value #PROVIDER_ID}: Keycloak's own ({@code default}) with one addition,
 * the validated {@link Brand} as {@code brand} (and {@code brandCssUrl}) in the data of templates
 * of themes that ask for it ({@code entraPbxBrand=true} in theme.properties; ours and any theme
 * extending them). Every other theme renders exactly as before. Its {@link #order()} makes it the
 * server's default FreeMarker provider; {@code --spi-freemarker--provider=default} turns it off.
 */
public class BrandFreeMarkerProviderFactory implements FreeMarkerProviderFactory, ServerInfoAwareProviderFactory, StatelessProviderFactory<FreeMarkerProvider> {

    public static final String PROVIDER_ID = "entra-pbx-brand";
    /** The FreeMarker provider we delegate to (Keycloak's). */
    static final String DELEGATE_ID = "default";

    @Override
    public FreeMarkerProvider create(KeycloakSession session) {
        return new BrandFreeMarkerProvider(session, session.getProvider(FreeMarkerProvider.class, DELEGATE_ID));
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    /** Above Keycloak's {@code default} (0), so templates are processed by this provider. */
    @Override
    public int order() {
        return 10;
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return ExtensionInfo.operationalInfo();
    }
}
