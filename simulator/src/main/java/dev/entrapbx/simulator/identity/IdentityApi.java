package dev.entrapbx.simulator.identity;

import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.http.AreaResponses;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.http.Router;

import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The login host: discovery, JWKS, authorize with its pages, token, logout. */
public final class IdentityApi implements AreaResponses {
    private static final Logger LOG = Logger.getLogger(IdentityApi.class.getName());

    private final String baseUrl;
    private final BrowserSessions sessions = new BrowserSessions();
    private final PendingRequests<AuthorizeRequest> pending = new PendingRequests<>();
    private final Grants grants;
    private final DiscoveryEndpoint discovery;
    private final AuthorizeEndpoint authorize;
    private final TokenEndpoint token;
    private final LogoutEndpoint logout;
    private final AdminConsentEndpoint adminConsent;

    public IdentityApi(String baseUrl, Directory directory, SigningKeys keys, TokenIssuer issuer, Clock clock) {
        this.baseUrl = baseUrl;
        GraphAudiences audiences = new GraphAudiences(baseUrl);
        this.grants = new Grants(clock);
        this.discovery = new DiscoveryEndpoint(baseUrl, directory, keys);
        this.authorize = new AuthorizeEndpoint(baseUrl, directory, sessions, pending, grants, audiences);
        this.token = new TokenEndpoint(baseUrl, directory, grants, issuer, new ClientAuthenticator(baseUrl, clock), audiences);
        this.logout = new LogoutEndpoint(directory, sessions);
        this.adminConsent = new AdminConsentEndpoint(baseUrl, directory);
    }

    public void register(Router router) {
        router.get("/{tenant}/v2.0/.well-known/openid-configuration", discovery::configuration)
              .get("/{tenant}/discovery/v2.0/keys", discovery::keys)
              .get("/{tenant}/discovery/keys", discovery::keys)
              .get("/{tenant}/oauth2/v2.0/authorize", authorize::authorize)
              .post("/{tenant}/oauth2/v2.0/authorize", authorize::authorize)
              .post("/{tenant}/login", authorize::login)
              .get("/{tenant}/login", authorize::otherAccount)
              .post("/{tenant}/consent", authorize::consent)
              .post("/{tenant}/oauth2/v2.0/token", token::token)
              .get("/{tenant}/oauth2/v2.0/logout", logout::logout)
              .post("/{tenant}/oauth2/v2.0/logout", logout::logout)
              .get("/{tenant}/v2.0/adminconsent", adminConsent::start)
              .post("/{tenant}/adminconsent/login", adminConsent::login)
              .post("/{tenant}/adminconsent/consent", adminConsent::consent)
              .get("/error", this::errorLookup);
    }

    /** Forgets sessions, pending sign-ins, codes and refresh tokens. */
    public void reset() {
        sessions.clear();
        pending.clear();
        grants.clear();
        adminConsent.clear();
    }

    private Response errorLookup(Request req) {
        String code = req.query("code").orElse("");
        return Response.html(200, LoginPages.error("AADSTS" + code + ": see "
                + "https://learn.microsoft.com/entra/identity-platform/reference-error-codes", req.requestId()));
    }

    @Override
    public Response notFound(Request request) {
        return Response.html(404, LoginPages.error("AADSTS90056: The requested endpoint " + request.path()
                + " does not exist on the login host.", request.requestId()));
    }

    @Override
    public Response methodNotAllowed(Request request) {
        String allowed = request.path().endsWith("/token") ? "POST" : "GET and POST";
        return new AadError(405, "invalid_request", 900561, "The endpoint only accepts " + allowed
                + " requests. Received a " + request.method() + " request.").toResponse(request, baseUrl);
    }

    @Override
    public Response internalError(Request request, Exception error) {
        if (error instanceof AadError aad) {
            return aad.toResponse(request, baseUrl);
        }
        LOG.log(Level.WARNING, "Identity endpoint failed: " + request.path(), error);
        return new AadError(500, "server_error", 50000, "There's an issue with the sign-in service: " + error)
                .toResponse(request, baseUrl);
    }

    @Override
    public Response injectedStatus(Request request, int status, Integer retryAfterSeconds) {
        AadError error = switch (status) {
            case 429 -> new AadError(429, "temporarily_unavailable", 90055,
                    "TenantThrottlingError - There are too many incoming requests. Retry later.");
            case 503, 504 -> new AadError(status, "temporarily_unavailable", 90006,
                    "ExternalServerRetryableError - The service is temporarily unavailable.");
            default -> new AadError(status, "server_error", 50000, "There's an issue with the sign-in service.");
        };
        Response r = error.toResponse(request, baseUrl);
        if (retryAfterSeconds != null) {
            r.header("Retry-After", String.valueOf(retryAfterSeconds));
        }
        return r;
    }
}
