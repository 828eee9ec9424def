package dev.entrapbx.simulator.identity;

import com.nimbusds.jwt.SignedJWT;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.model.AppRegistration;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;

/**
 * {@code /{tenant}/oauth2/v2.0/logout}: ends the browser session and returns to post_logout_redirect_uri when it is
 * a registered redirect URI of the client named by client_id or id_token_hint; otherwise shows the signed-out page.
 */
final class LogoutEndpoint {
    private final Directory directory;
    private final BrowserSessions sessions;

    LogoutEndpoint(Directory directory, BrowserSessions sessions) {
        this.directory = directory;
        this.sessions = sessions;
    }

    Response logout(Request req) {
        sessions.end(req);
        Optional<String> target = req.param("post_logout_redirect_uri");
        Optional<AppRegistration> client = req.param("client_id").flatMap(directory::app)
                .or(() -> req.param("id_token_hint").flatMap(LogoutEndpoint::audience).flatMap(directory::app));
        Response response;
        if (target.isPresent() && client.isPresent() && client.get().hasRedirectUri(target.get())) {
            String uri = target.get();
            Optional<String> state = req.param("state");
            if (state.isPresent()) {
                uri += (uri.contains("?") ? "&" : "?") + "state=" + URLEncoder.encode(state.get(), StandardCharsets.UTF_8);
            }
            response = Response.redirect(uri);
        } else {
            response = Response.html(200, LoginPages.signedOut());
        }
        return response.header("Set-Cookie", BrowserSessions.clearCookie());
    }

    private static Optional<String> audience(String idToken) {
        try {
            List<String> aud = SignedJWT.parse(idToken).getJWTClaimsSet().getAudience();
            return aud == null || aud.isEmpty() ? Optional.empty() : Optional.of(aud.get(0));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }
}
