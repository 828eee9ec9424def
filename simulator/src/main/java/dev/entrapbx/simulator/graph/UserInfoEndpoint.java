package dev.entrapbx.simulator.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.identity.TokenIssuer;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.model.User;

/**
 * OpenID Connect userinfo, served by Microsoft from the Graph host
 * (https://learn.microsoft.com/entra/identity-platform/userinfo): needs a delegated Graph token.
 */
final class UserInfoEndpoint {
    private final String baseUrl;
    private final Directory directory;

    UserInfoEndpoint(String baseUrl, Directory directory) {
        this.baseUrl = baseUrl;
        this.directory = directory;
    }

    Response userinfo(GraphRequest g) {
        if (g.principal().appOnly()) {
            throw new GraphException(401, "InvalidAuthenticationToken",
                    "Access token validation failure. The userinfo endpoint needs a delegated token.");
        }
        User user = UsersResource.signedInUser(g, directory);
        ObjectNode o = Json.object();
        o.put("sub", TokenIssuer.pairwiseSubject(g.principal().appId(), user.id()));
        o.put("name", user.displayName());
        putIfSet(o, "family_name", user.surname());
        putIfSet(o, "given_name", user.givenName());
        o.put("picture", baseUrl + "/v1.0/me/photo/$value");
        if (g.principal().scopes().contains("email")) {
            putIfSet(o, "email", user.mail());
        }
        return Response.json(200, o);
    }

    private static void putIfSet(ObjectNode o, String name, String value) {
        if (value != null) {
            o.put(name, value);
        }
    }
}
