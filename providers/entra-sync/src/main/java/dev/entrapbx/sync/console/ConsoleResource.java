package dev.entrapbx.sync.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.KeycloakSession;

/**
 * The customers page: three static files from this jar. No data is in them; the page reads admin
 * REST with the signed-in admin's token. Served with a strict content security policy (only this
 * origin's scripts, styles and connections; no framing).
 */
public class ConsoleResource {

    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final KeycloakSession session;

    public ConsoleResource(KeycloakSession session) {
        this.session = session;
    }

    @GET
    public Response index() {
        keepOurHeaders();
        if (!session.getContext().getUri().getPath().endsWith("/")) { // relative asset URLs need the trailing slash
            return Response.status(Response.Status.FOUND)
                    .location(session.getContext().getUri().getAbsolutePathBuilder().path("/").build()).build();
        }
        return file("index.html");
    }

    @GET
    @Path("{file}")
    public Response asset(@PathParam("file") String name) {
        keepOurHeaders();
        return file(name);
    }

    /** Keycloak's own security headers (the realm's looser CSP) would replace ours: this page sets the full set itself. */
    private void keepOurHeaders() {
        session.getProvider(SecurityHeadersProvider.class).options().skipHeaders();
    }

    private static Response file(String name) {
        String type = FILES.get(name);
        if (type == null) {
            throw new NotFoundException();
        }
        try (InputStream in = ConsoleResource.class.getResourceAsStream("/entra-pbx-console/" + name)) {
            if (in == null) {
                throw new NotFoundException();
            }
            return Response.ok(in.readAllBytes()).header("Content-Type", type).header("Content-Security-Policy", CSP)
                    .header("X-Content-Type-Options", "nosniff").header("Referrer-Policy", "no-referrer").header("X-Frame-Options", "DENY")
                    .header("X-Robots-Tag", "none")
                    .header("Cache-Control", "no-cache").build();
        } catch (IOException e) {
            throw new IllegalStateException("console file " + name + " unreadable", e);
        }
    }
}
