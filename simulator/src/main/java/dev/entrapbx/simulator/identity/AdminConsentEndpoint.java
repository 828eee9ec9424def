package dev.entrapbx.simulator.identity;

import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.Tenant;
import dev.entrapbx.simulator.model.User;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    /** Domains of personal Microsoft accounts. */
    static final Set<String> CONSUMER_DOMAINS = Set.of("outlook.com", "hotmail.com", "live.com", "msn.com");

    private record Pending(TenantScope scope, AppRegistration app, String redirectUri, String scopeParam, String state,
                           String tenantId, String login) {
        Pending signedIn(String tenant, String upn) {
            return new Pending(scope, app, redirectUri, scopeParam, state, tenant, upn);
        }
    }

    private final String baseUrl;
    private final Directory directory;
    private final PendingRequests<Pending> pending = new PendingRequests<>();

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
                    req.query("state").orElse(null), null, null);
        } catch (AadError e) {
            return Response.html(e.status(), LoginPages.error(e.aadstsMessage(), req.requestId()));
        }
        if (p.scopeParam() == null) {
            return redirect(p, AadErrors.missingParameter("scope").redirectParams(baseUrl));
        }
        return loginForm(p, pending.put(p), null, null);
    }

    /** POST {tenant}/adminconsent/login. */
    Response login(Request req) {
        String ctx = req.formParam("ctx").orElse(null);
        Optional<Pending> found = pending.get(ctx);
        if (found.isEmpty()) {
            return expired(req);
        }
        Pending p = found.get();
        String login = req.formParam("loginfmt").orElse("").trim();
        String password = req.formParam("passwd").orElse("");
        String domain = login.contains("@") ? login.substring(login.indexOf('@') + 1).toLowerCase(Locale.ROOT) : "";
        if (directory.findUserByUpn(login).isEmpty() && CONSUMER_DOMAINS.contains(domain) && directory.tenant(domain).isEmpty()) {
            pending.remove(ctx);
            return redirect(p, AadErrors.personalAccount(login).redirectParams(baseUrl));
        }
        SignInCheck check = SignInCheck.of(directory, p.scope(), p.app(), login, password);
        if (!check.ok()) {
            return loginForm(p, ctx, login, check.error());
        }
        User u = check.user();
        Tenant tenant = check.tenant();
        pending.replace(ctx, p.signedIn(tenant.id(), u.userPrincipalName()));
        List<String> permissions = new ArrayList<>(directory.requireApp(p.app().appId()).permissions());
        return Response.html(200, LoginPages.consent(action(p, "adminconsent/consent"), ctx, p.app().displayName()
                + " (for your whole organisation, " + tenant.displayName() + ")", u.userPrincipalName(), permissions));
    }

    /** POST {tenant}/adminconsent/consent: Accept or Cancel. */
    Response consent(Request req) {
        String ctx = req.formParam("ctx").orElse(null);
        Optional<Pending> found = pending.get(ctx).filter(p -> p.tenantId() != null);
        if (found.isEmpty()) {
            return expired(req);
        }
        Pending p = found.get();
        pending.remove(ctx);
        if (!"yes".equals(req.formParam("accept").orElse("no"))) {
            return redirect(p, AadErrors.consentDeclined().redirectParams(baseUrl));
        }
        directory.grantAdminConsent(p.tenantId(), p.app().appId());
        Map<String, String> result = new LinkedHashMap<>();
        result.put("admin_consent", "True");
        result.put("tenant", p.tenantId());
        result.put("scope", p.scopeParam());
        return redirect(p, result);
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
        AadError e = PendingRequests.expired();
        return Response.html(e.status(), LoginPages.error(e.aadstsMessage(), req.requestId()));
    }

    void clear() {
        pending.clear();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
