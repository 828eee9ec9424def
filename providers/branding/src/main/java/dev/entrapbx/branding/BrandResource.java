package dev.entrapbx.branding;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.organization.OrganizationProvider;

/**
 * {@code GET /realms/{realm}/brand/brand.css[?org=alias][&v=fingerprint]}: the brand's CSS custom
 * properties. Public (login pages load it before anyone signs in); it reveals only what the login
 * page shows anyway. ETag = fingerprint; with the current {@code v} the response may be cached for
 * good (a brand change changes the page's {@code v}), otherwise the browser revalidates.
 *
 * <p>An organization's brand is served only with its own fingerprint as {@code v} (the link the
 * login page of that organization's member carries); any other request gets the realm's brand, so
 * the endpoint does not tell strangers which organizations (customers) a realm has.
 */
public class BrandResource {

    public static final String CSS = "brand.css";

    private final KeycloakSession session;

    public BrandResource(KeycloakSession session) {
        this.session = session;
    }

    @GET
    @Path(CSS)
    @Produces("text/css")
    public Response css(@QueryParam("org") String orgAlias, @QueryParam("v") String version,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        RealmModel realm = session.getContext().getRealm();
        Brand brand = BrandResolver.forRealm(realm, null);
        OrganizationModel org = organization(realm, orgAlias);
        if (org != null && version != null) {
            Brand orgBrand = BrandResolver.forRealm(realm, org);
            if (orgBrand.fingerprint().equals(version)) {
                brand = orgBrand;
            }
        }
        String fingerprint = brand.fingerprint();
        EntityTag tag = new EntityTag(fingerprint);
        String cache = fingerprint.equals(version) ? "public, max-age=31536000, immutable" : "no-cache";
        if (ifNoneMatch != null && (ifNoneMatch.contains("\"" + fingerprint + "\"") || ifNoneMatch.strip().equals("*"))) {
            return Response.notModified(tag).header(HttpHeaders.CACHE_CONTROL, cache).build();
        }
        return Response.ok(brand.css(), "text/css; charset=utf-8")
                .tag(tag)
                .header(HttpHeaders.CACHE_CONTROL, cache)
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    private OrganizationModel organization(RealmModel realm, String alias) {
        if (alias == null || alias.isBlank() || !realm.isOrganizationsEnabled()) {
            return null;
        }
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        OrganizationModel org = orgs == null ? null : orgs.getByAlias(alias);
        return org != null && org.isEnabled() ? org : null;
    }
}
