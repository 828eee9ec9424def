package dev.entrapbx.simulator.identity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.json.Json;

import java.net.URI;

/**
 * OpenID Connect discovery and JWKS of the v2.0 endpoint, shaped like Microsoft's documents
 * (https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri):
 * for a tenant the tenant GUID is in every URL; for organizations/common the issuer keeps the literal
 * {@code {tenantid}} template.
 */
final class DiscoveryEndpoint {
    private final String baseUrl;
    private final Directory directory;
    private final SigningKeys keys;

    DiscoveryEndpoint(String baseUrl, Directory directory, SigningKeys keys) {
        this.baseUrl = baseUrl;
        this.directory = directory;
        this.keys = keys;
    }

    Response configuration(Request req) {
        try {
            TenantScope scope = scope(req);
            String t = baseUrl + "/" + scope.endpointSegment();
            ObjectNode doc = Json.object();
            doc.put("token_endpoint", t + "/oauth2/v2.0/token");
            strings(doc.putArray("token_endpoint_auth_methods_supported"),
                    "client_secret_post", "private_key_jwt", "client_secret_basic");
            doc.put("jwks_uri", t + "/discovery/v2.0/keys");
            strings(doc.putArray("response_modes_supported"), "query", "fragment", "form_post");
            strings(doc.putArray("subject_types_supported"), "pairwise");
            strings(doc.putArray("id_token_signing_alg_values_supported"), "RS256");
            strings(doc.putArray("response_types_supported"), "code", "id_token", "code id_token", "id_token token");
            strings(doc.putArray("scopes_supported"), "openid", "profile", "email", "offline_access");
            doc.put("issuer", baseUrl + "/" + scope.issuerSegment() + "/v2.0");
            doc.put("request_uri_parameter_supported", false);
            doc.put("userinfo_endpoint", baseUrl + "/oidc/userinfo");
            doc.put("authorization_endpoint", t + "/oauth2/v2.0/authorize");
            doc.put("device_authorization_endpoint", t + "/oauth2/v2.0/devicecode");
            doc.put("http_logout_supported", true);
            doc.put("frontchannel_logout_supported", true);
            doc.put("end_session_endpoint", t + "/oauth2/v2.0/logout");
            strings(doc.putArray("claims_supported"), "sub", "iss", "cloud_instance_name", "cloud_instance_host_name",
                    "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce",
                    "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email");
            doc.put("kerberos_endpoint", t + "/kerberos");
            if (scope.isTenant()) {
                doc.put("tenant_region_scope", "NA");
            } else {
                doc.putNull("tenant_region_scope");
            }
            doc.put("cloud_instance_name", "microsoftonline.com");
            doc.put("cloud_graph_host_name", "graph.windows.net");
            // The simulator's base URL stands for the Graph host as well.
            doc.put("msgraph_host", URI.create(baseUrl).getAuthority());
            doc.put("rbac_url", "https://pas.windows.net");
            return Response.json(200, doc).header("Cache-Control", "max-age=86400, private")
                    .header("Access-Control-Allow-Origin", "*");
        } catch (AadError e) {
            return e.toResponse(req, baseUrl);
        }
    }

    Response keys(Request req) {
        try {
            TenantScope scope = scope(req);
            return Response.json(200, keys.jwks(baseUrl + "/" + scope.issuerSegment() + "/v2.0"))
                    .header("Cache-Control", "max-age=86400, private")
                    .header("Access-Control-Allow-Origin", "*");
        } catch (AadError e) {
            return e.toResponse(req, baseUrl);
        }
    }

    private TenantScope scope(Request req) {
        String segment = req.pathVariable("tenant");
        TenantScope scope = TenantScope.resolve(segment, directory).orElseThrow(() -> AadErrors.tenantNotFound(segment));
        if (scope.kind() == TenantScope.Kind.CONSUMERS) {
            // The simulator has no Microsoft account (consumer) tenant.
            throw AadErrors.tenantNotFound(segment);
        }
        return scope;
    }

    private static void strings(ArrayNode array, String... values) {
        for (String v : values) {
            array.add(v);
        }
    }
}
