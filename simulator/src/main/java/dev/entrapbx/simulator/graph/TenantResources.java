package dev.entrapbx.simulator.graph;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.model.AppCertificate;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.ClientSecret;
import dev.entrapbx.simulator.model.Domain;
import dev.entrapbx.simulator.model.Tenant;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code /organization}, {@code /domains} and {@code /applications} of the caller's tenant. */
final class TenantResources {
    private static final Pattern APP_ID_FILTER =
            Pattern.compile("(?i)\\s*appId\\s+eq\\s+'([^']*)'\\s*");
    private final String baseUrl;
    private final Directory directory;

    TenantResources(String baseUrl, Directory directory) {
        this.baseUrl = baseUrl;
        this.directory = directory;
    }

    Response organizations(GraphRequest g) {
        Tenant t = directory.requireTenant(g.tenantId());
        return Response.odata(200, Links.page(baseUrl + "/v1.0/$metadata#organization", null, null,
                List.of(organization(t))));
    }

    Response organization(GraphRequest g) {
        String id = g.http().pathVariable("id");
        Tenant t = directory.requireTenant(g.tenantId());
        if (!t.id().equalsIgnoreCase(id)) {
            throw GraphException.notFound(id);
        }
        ObjectNode out = Links.collection(baseUrl + "/v1.0/$metadata#organization/$entity");
        out.setAll(organization(t));
        return Response.odata(200, out);
    }

    Response domains(GraphRequest g) {
        Tenant t = directory.requireTenant(g.tenantId());
        return Response.odata(200, Links.page(baseUrl + "/v1.0/$metadata#domains", null, null,
                t.domains().stream().map(TenantResources::domain).toList()));
    }

    Response domainById(GraphRequest g) {
        String id = g.http().pathVariable("id");
        Domain d = directory.requireTenant(g.tenantId()).domain(id).orElseThrow(() -> GraphException.notFound(id));
        ObjectNode out = Links.collection(baseUrl + "/v1.0/$metadata#domains/$entity");
        out.setAll(domain(d));
        return Response.odata(200, out);
    }

    /** GET /applications, supporting {@code $filter=appId eq '...'} (the lookup a sync or admin UI makes). */
    Response applications(GraphRequest g) {
        Optional<String> appIdFilter = g.http().query("$filter").filter(f -> !f.isBlank()).map(this::appIdOf);
        List<ObjectNode> apps = directory.apps(g.tenantId()).stream()
                .filter(a -> appIdFilter.isEmpty() || a.appId().equalsIgnoreCase(appIdFilter.get()))
                .map(this::application).toList();
        return Response.odata(200, Links.page(baseUrl + "/v1.0/$metadata#applications", null, null, apps));
    }

    /** GET /applications(appId='{appId}') and GET /applications/{object id}. */
    Response application(GraphRequest g) {
        String key = g.http().pathVariable("id");
        boolean byAppId = g.http().path().contains("(appId=");
        AppRegistration app = directory.apps(g.tenantId()).stream()
                .filter(a -> byAppId ? a.appId().equalsIgnoreCase(key) : a.objectId().equalsIgnoreCase(key))
                .findFirst().orElseThrow(() -> GraphException.notFound(byAppId ? "appId=" + key : key));
        ObjectNode out = Links.collection(baseUrl + "/v1.0/$metadata#applications/$entity");
        out.setAll(application(app));
        return Response.odata(200, out);
    }

    private String appIdOf(String filter) {
        Matcher m = APP_ID_FILTER.matcher(filter);
        if (!m.matches()) {
            throw unsupportedFilter();
        }
        return m.group(1);
    }

    private static GraphException unsupportedFilter() {
        return GraphException.unsupportedQuery("The simulator supports only $filter=appId eq '{appId}' on applications.");
    }

    private ObjectNode organization(Tenant t) {
        ObjectNode o = Json.object();
        o.put("id", t.id());
        o.putNull("deletedDateTime");
        o.putArray("businessPhones");
        o.putNull("city");
        o.putNull("country");
        o.put("countryLetterCode", "US");
        o.put("createdDateTime", t.createdDateTime().toString());
        o.put("displayName", t.displayName());
        o.putNull("onPremisesSyncEnabled");
        o.put("preferredLanguage", "en");
        o.put("tenantType", "AAD");
        ArrayNode verified = o.putArray("verifiedDomains");
        for (Domain d : t.domains()) {
            if (d.isVerified()) {
                ObjectNode v = verified.addObject();
                v.put("capabilities", d.isInitial() ? "Email, OfficeCommunicationsOnline" : "Email");
                v.put("isDefault", d.isDefault());
                v.put("isInitial", d.isInitial());
                v.put("name", d.name());
                v.put("type", "Managed");
            }
        }
        return o;
    }

    private static ObjectNode domain(Domain d) {
        ObjectNode o = Json.object();
        o.put("authenticationType", "Managed");
        o.putNull("availabilityStatus");
        o.put("id", d.name());
        o.put("isAdminManaged", true);
        o.put("isDefault", d.isDefault());
        o.put("isInitial", d.isInitial());
        o.put("isRoot", true);
        o.put("isVerified", d.isVerified());
        o.putNull("passwordNotificationWindowInDays");
        o.putNull("passwordValidityPeriodInDays");
        ArrayNode services = o.putArray("supportedServices");
        if (d.isVerified()) {
            services.add("Email");
        }
        o.putNull("state");
        return o;
    }

    /** The application resource; credentials are listed with their metadata only, never secret values. */
    private ObjectNode application(AppRegistration app) {
        ObjectNode o = Json.object();
        o.put("id", app.objectId());
        o.put("appId", app.appId());
        o.put("createdDateTime", app.createdDateTime().toString());
        o.put("displayName", app.displayName());
        o.put("signInAudience", app.signInAudience().name());
        o.put("publisherDomain", directory.requireTenant(app.tenantId()).initialDomain().name());
        o.put("isFallbackPublicClient", app.publicClient());
        ObjectNode web = o.putObject("web");
        ArrayNode uris = web.putArray("redirectUris");
        app.redirectUris().forEach(uris::add);
        ArrayNode passwords = o.putArray("passwordCredentials");
        for (ClientSecret s : app.secrets()) {
            ObjectNode p = passwords.addObject();
            p.putNull("customKeyIdentifier");
            if (s.displayName() == null) {
                p.putNull("displayName");
            } else {
                p.put("displayName", s.displayName());
            }
            p.put("endDateTime", s.endDateTime().toString());
            p.put("hint", s.hint());
            p.put("keyId", s.keyId());
            p.putNull("secretText");
            p.put("startDateTime", s.startDateTime().toString());
        }
        ArrayNode keys = o.putArray("keyCredentials");
        for (AppCertificate c : app.certificates()) {
            ObjectNode k = keys.addObject();
            // Edm.Binary: base64 of the SHA-1 thumbprint bytes
            k.put("customKeyIdentifier", Base64.getEncoder().encodeToString(
                    HexFormat.of().parseHex(c.thumbprint().toLowerCase(Locale.ROOT))));
            k.put("displayName", c.displayName());
            k.put("endDateTime", c.endDateTime().toString());
            k.putNull("key");
            k.put("keyId", c.keyId());
            k.put("startDateTime", c.startDateTime().toString());
            k.put("type", "AsymmetricX509Cert");
            k.put("usage", "Verify");
        }
        return o;
    }
}
