package dev.entrapbx.simulator.identity;

import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.Tenant;
import dev.entrapbx.simulator.model.User;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The v2.0 admin-consent endpoint, {@code GET /{tenant}/v2.0/adminconsent?client_id&scope&redirect_uri&state},
 * as https://learn.microsoft.com/entra/identity-platform/v2-admin-consent describes it: an admin of a
 * tenant signs in, sees the application permissions the app lists and grants them for the whole
 * tenant (the app gets its service principal there, {@link Directory#grantAdminConsent}). The answer
 * goes to the registered {@code redirect_uri}: {@code admin_consent=True&tenant=<tid>&scope=..&state=..},
 * or {@code error} and {@code error_description} (AADSTS65004 when the admin cancels, AADSTS500200
 * for a personal Microsoft account). Request errors before a redirect URI is trusted are pages at
 * Microsoft, not redirects.
 *
 * <p>Accounts are work accounts of the simulator's tenants; a sign-in name in a consumer domain
 * (outlook.com, hotmail.com, live.com, msn.com) that no tenant owns is a personal Microsoft account.
 * Any user of a tenant counts as its administrator (roles are not modelled).
 */
final class AdminConsentEndpoint {
    private static final Duration LIFETIME = Duration.ofMinutes(30);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Domains of personal Microsoft accounts. */
    static final Set<String> CONSUMER_DOMAINS = Set.of("outlook.com", "hotmail.com", "live.com", "msn.com");

    private record Pending(TenantScope scope, AppRegistration app, String redirectUri, String scopeParam, String state,
                           Instant expiresAt, String tenantId, String login) {
        Pending signedIn(String tenant, String upn) {
            return new Pending(scope, app, redirectUri, scopeParam, state, expiresAt, tenant, upn);
        }
    }

    private final String baseUrl;
    private final Directory directory;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    AdminConsentEndpoint(String baseUrl, Directory directory) {
        this.baseUrl = baseUrl;
        this.directory = directory;
    }

    /** GET {tenant}/v2.0/adminconsent. */
    Response start(Request req) {
        String segment = req.pathVariable("tenant");
        String clientId = blankToNull(req.query("client_id").orElse(null));
        if (clientId != null) {
            directory.recordAuthorizeRequest(clientId, req.queryParams());
        }
        Pending p;
        try {
            TenantScope scope = TenantScope.resolve(segment, directory).orElseThrow(() -> AadErrors.tenantNotFound(segment));
            if (scope.kind() == TenantScope.Kind.COMMON || scope.kind() == TenantScope.Kind.CONSUMERS) {
                // personal accounts cannot consent for an organisation: the endpoint needs a tenant or 'organizations'
                throw AadErrors.invalidRequest("The '" + segment + "' endpoint cannot be used for admin consent: use a "
                        + "tenant ID or 'organizations'.");
            }
            if (clientId == null) {
                throw AadErrors.missingParameter("client_id");
            }
            AppRegistration app = AppAccess.require(directory, scope, clientId);
            String redirectUri = blankToNull(req.query("redirect_uri").orElse(null));
            if (redirectUri == null) {
                throw AadErrors.noReplyAddress();
            }
            if (!app.hasRedirectUri(redirectUri)) {
                throw AadErrors.redirectUriMismatch(redirectUri, app.appId());
            }
            p = new Pending(scope, app, redirectUri, blankToNull(req.query("scope").orElse(null)),
                    req.query("state").orElse(null), Instant.now().plus(LIFETIME), null, null);
        } catch (AadError e) {
            return Response.html(e.status(), LoginPages.error(e.aadstsMessage(), req.requestId()));
        }
        if (p.scopeParam() == null) {
            return redirect(p, error(AadErrors.missingParameter("scope")));
        }
        return loginForm(p, put(p), null, null);
    }

    /** POST {tenant}/adminconsent/login. */
    Response login(Request req) {
        String ctx = req.formParam("ctx").orElse(null);
        Optional<Pending> found = get(ctx);
        if (found.isEmpty()) {
            return expired(req);
        }
        Pending p = found.get();
        String login = req.formParam("loginfmt").orElse("").trim();
        String password = req.formParam("passwd").orElse("");
        Optional<User> user = directory.findUserByUpn(login);
        String domain = login.contains("@") ? login.substring(login.indexOf('@') + 1).toLowerCase(Locale.ROOT) : "";
        if (user.isEmpty() && CONSUMER_DOMAINS.contains(domain) && directory.tenant(domain).isEmpty()) {
            pending.remove(ctx);
            return redirect(p, error(AadErrors.personalAccount(login)));
        }
        if (user.isEmpty()) {
            return loginForm(p, ctx, login, AadErrors.unknownUser(login, p.scope().displayName()).aadstsMessage());
        }
        User u = user.get();
        if (u.password() == null || !u.password().equals(password)) {
            return loginForm(p, ctx, login, AadErrors.badPassword().aadstsMessage());
        }
        if (!u.accountEnabled()) {
            return loginForm(p, ctx, login, AadErrors.userDisabled().aadstsMessage());
        }
        Tenant tenant = directory.tenant(u.upnDomain()).orElseThrow();
        if (!p.scope().admitsUsersOf(tenant.id())) {
            return loginForm(p, ctx, login, AadErrors.userOfOtherTenant(login, tenant.id(), p.scope().displayName(),
                    p.app().appId(), p.app().displayName()).aadstsMessage());
        }
        Pending signedIn = p.signedIn(tenant.id(), u.userPrincipalName());
        pending.put(ctx, signedIn);
        List<String> permissions = new ArrayList<>(directory.requireApp(p.app().appId()).permissions());
        return Response.html(200, LoginPages.consent(action(p, "adminconsent/consent"), ctx, p.app().displayName()
                + " (for your whole organisation, " + tenant.displayName() + ")", u.userPrincipalName(), permissions));
    }

    /** POST {tenant}/adminconsent/consent: Accept or Cancel. */
    Response consent(Request req) {
        String ctx = req.formParam("ctx").orElse(null);
        Optional<Pending> found = get(ctx).filter(p -> p.tenantId() != null);
        if (found.isEmpty()) {
            return expired(req);
        }
        Pending p = found.get();
        pending.remove(ctx);
        if (!"yes".equals(req.formParam("accept").orElse("no"))) {
            return redirect(p, error(AadErrors.consentDeclined()));
        }
        directory.grantAdminConsent(p.tenantId(), p.app().appId());
        Map<String, String> result = new LinkedHashMap<>();
        result.put("admin_consent", "True");
        result.put("tenant", p.tenantId());
        result.put("scope", p.scopeParam());
        return redirect(p, result);
    }

    private Map<String, String> error(AadError error) {
        Map<String, String> result = new LinkedHashMap<>();
        result.put("error", error.error());
        result.put("error_description", error.aadstsMessage() + "\r\nTrace ID: " + UUID.randomUUID()
                + "\r\nCorrelation ID: " + UUID.randomUUID() + "\r\nTimestamp: " + Instant.now());
        result.put("error_uri", baseUrl + "/error?code=" + error.code());
        return result;
    }

    private static Response redirect(Pending p, Map<String, String> params) {
        Map<String, String> all = new LinkedHashMap<>(params);
        if (p.state() != null) {
            all.put("state", p.state());
        }
        String query = all.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return Response.redirect(p.redirectUri() + (p.redirectUri().contains("?") ? "&" : "?") + query);
    }

    private Response loginForm(Pending p, String ctx, String login, String error) {
        return Response.html(200, LoginPages.loginForm(action(p, "adminconsent/login"), ctx, p.app().displayName(),
                p.scope().displayName(), login, null, error));
    }

    private static String action(Pending p, String page) {
        return "/" + p.scope().segment() + "/" + page;
    }

    private static Response expired(Request req) {
        AadError e = new AadError(400, "invalid_request", 90007,
                "The sign-in request was not found or has expired. Start the sign-in again from the application.");
        return Response.html(e.status(), LoginPages.error(e.aadstsMessage(), req.requestId()));
    }

    private String put(Pending p) {
        Instant now = Instant.now();
        pending.values().removeIf(e -> e.expiresAt().isBefore(now));
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        String ctx = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        pending.put(ctx, p);
        return ctx;
    }

    private Optional<Pending> get(String ctx) {
        Pending p = ctx == null ? null : pending.get(ctx);
        return p == null || p.expiresAt().isBefore(Instant.now()) ? Optional.empty() : Optional.of(p);
    }

    void clear() {
        pending.clear();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
