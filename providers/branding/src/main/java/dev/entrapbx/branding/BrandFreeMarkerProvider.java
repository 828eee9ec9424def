package dev.entrapbx.branding;

import jakarta.ws.rs.core.UriBuilder;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.forms.login.freemarker.model.OrganizationBean;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.theme.FreeMarkerException;
import org.keycloak.theme.Theme;
import org.keycloak.theme.freemarker.FreeMarkerProvider;
import org.keycloak.urls.UrlType;

/** See {@link BrandFreeMarkerProviderFactory}. */
public class BrandFreeMarkerProvider implements FreeMarkerProvider {

    /** theme.properties switch: templates of this theme get {@code brand}. */
    public static final String THEME_PROPERTY = "entraPbxBrand";
    static final String BRAND = "brand";
    static final String BRAND_CSS_URL = "brandCssUrl";
    /** Where Keycloak's login forms put the user's organization (an {@link OrganizationBean}). */
    static final String LOGIN_ORGANIZATION = "org";

    private final KeycloakSession session;
    private final FreeMarkerProvider delegate;

    public BrandFreeMarkerProvider(KeycloakSession session, FreeMarkerProvider delegate) {
        this.session = session;
        this.delegate = delegate;
    }

    @Override
    @SuppressWarnings("unchecked")
    public String processTemplate(Object data, String templateName, Theme theme) throws FreeMarkerException {
        if (data instanceof Map<?, ?> map && wantsBrand(theme)) {
            RealmModel realm = session.getContext().getRealm();
            if (realm != null) {
                Map<String, Object> attributes = (Map<String, Object>) map;
                OrganizationBean org = attributes.get(LOGIN_ORGANIZATION) instanceof OrganizationBean o ? o : null;
                Map<String, List<String>> orgAttributes = org == null ? null : org.getAttributes();
                String orgAlias = org == null ? null : org.getAlias();
                Brand brand = BrandResolver.forRealm(realm, orgAttributes, orgAlias);
                attributes.put(BRAND, brand);
                attributes.put(BRAND_CSS_URL, cssUrl(realm, brand, BrandResolver.firstValues(orgAttributes).isEmpty() ? null : orgAlias));
            }
        }
        return delegate.processTemplate(data, templateName, theme);
    }

    private static boolean wantsBrand(Theme theme) {
        try {
            return theme != null && Boolean.parseBoolean(theme.getProperties().getProperty(THEME_PROPERTY));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The stylesheet link: the organization's (its alias and keyed fingerprint, see
     * {@link BrandResource}) when the page knows an organization with brand values and the realm
     * has the key; otherwise the realm's, with the realm brand's fingerprint.
     */
    private String cssUrl(RealmModel realm, Brand brand, String orgAlias) {
        Optional<byte[]> key = orgAlias == null ? Optional.empty() : BrandResolver.fingerprintKey(session, realm);
        String version = key.map(k -> brand.fingerprint(k, orgAlias))
                .orElseGet(() -> (orgAlias == null ? brand : BrandResolver.forRealm(realm, null)).fingerprint());
        UriBuilder b = session.getContext().getUri(UrlType.FRONTEND).getBaseUriBuilder()
                .path("realms").path(realm.getName()).path(BrandResourceProviderFactory.PROVIDER_ID).path(BrandResource.CSS)
                .queryParam("v", version);
        if (key.isPresent()) {
            b.queryParam("org", orgAlias);
        }
        return b.build().toString();
    }

    @Override
    public void close() {
    }
}
