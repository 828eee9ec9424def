package dev.entrapbx.branding;

import dev.entrapbx.kc.Organizations;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;

/**
 * {@code GET /realms/{realm}/brand/brand.css[?org=alias][&v=fingerprint]}: the brand's CSS custom
 * properties. Public (login pages load it before anyone signs in); it reveals only what the login
 * page shows anyway. ETag = fingerprint; with the current {@code v} the response may be cached for
 * good (a brand change changes the page's {@code v}), otherwise the browser revalidates.
 *
 * <p>An organization's brand is served only with its keyed fingerprint as {@code v}
 * ({@link Brand#fingerprint(byte[], String)}: an HMAC under the realm's secret key over the alias
 * and the stylesheet), which only the server can compute and only the login page of that
 * organization's member carries. Every other request (no or unknown alias, a disabled
 * organization, a wrong {@code v}, a realm without the key) gets the realm's answer, which depends
 * on the realm's brand, {@code v} and {@code If-None-Match} only, so it is the same response byte
 * for byte (status, headers, ETag, body) whatever the alias: the endpoint does not tell strangers
 * which organizations (customers) a realm has. The realm's own fingerprint is a plain content hash
 * of the public stylesheet; it only decides whether the realm's answer may be cached and never
 * unlocks an organization.
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
        Answer answer = answer(session.getContext().getRealm(), orgAlias, version);
        EntityTag tag = new EntityTag(answer.fingerprint());
        if (ifNoneMatch != null && (ifNoneMatch.contains("\"" + answer.fingerprint() + "\"") || ifNoneMatch.strip().equals("*"))) {
            return Response.notModified(tag).header(HttpHeaders.CACHE_CONTROL, answer.cacheControl()).build();
        }
        return Response.ok(answer.css(), "text/css; charset=utf-8")
                .tag(tag)
                .header(HttpHeaders.CACHE_CONTROL, answer.cacheControl())
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    /** Everything a response is made of besides {@code If-None-Match}: the body, the ETag and the caching. */
    record Answer(String css, String fingerprint, String cacheControl) {
    }

    Answer answer(RealmModel realm, String orgAlias, String version) {
        Brand brand = BrandResolver.forRealm(realm, null);
        String fingerprint = brand.fingerprint();
        Optional<byte[]> key = orgAlias == null || orgAlias.isBlank() || version == null
                ? Optional.empty() : BrandResolver.fingerprintKey(session, realm);
        if (key.isPresent()) {
            OrganizationModel org = organization(realm, orgAlias);
            // an unknown alias costs the same HMAC as a known one
            Brand candidate = org == null ? brand : BrandResolver.forRealm(realm, org);
            String expected = candidate.fingerprint(key.get(), orgAlias);
            if (org != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), version.getBytes(StandardCharsets.UTF_8))) {
                brand = candidate;
                fingerprint = expected;
            }
        }
        String cache = fingerprint.equals(version) ? "public, max-age=31536000, immutable" : "no-cache";
        return new Answer(brand.css(), fingerprint, cache);
    }

    private OrganizationModel organization(RealmModel realm, String alias) {
        return Organizations.byAlias(session, realm, alias).filter(OrganizationModel::isEnabled).orElse(null);
    }
}
