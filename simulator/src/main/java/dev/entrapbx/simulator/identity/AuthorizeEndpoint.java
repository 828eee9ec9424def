package dev.entrapbx.simulator.identity;

import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.http.Request;
import dev.entrapbx.simulator.http.Response;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.User;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /{tenant}/oauth2/v2.0/authorize} and the sign-in pages behind it (login form, account picker, consent),
 * per https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow.
 */
final class AuthorizeEndpoint {
    private static final Set<String> RESPONSE_MODES = Set.of("query", "fragment", "form_post");
    private static final Set<String> PROMPTS = Set.of("login", "none", "consent", "select_account");

    private final String baseUrl;
    private final Directory directory;
    private final BrowserSessions sessions;
    private final PendingRequests<AuthorizeRequest> pending;
    private final Grants grants;
    private final GraphAudiences audiences;

    AuthorizeEndpoint(String baseUrl, Directory directory, BrowserSessions sessions, PendingRequests<AuthorizeRequest> pending,
                      Grants grants, GraphAudiences audiences) {
        this.baseUrl = baseUrl;
        this.directory = directory;
        this.sessions = sessions;
        this.pending = pending;
        this.grants = grants;
        this.audiences = audiences;
    }

    /** GET or POST {tenant}/oauth2/v2.0/authorize. */
    Response authorize(Request req) {
        String segment = req.pathVariable("tenant");
        Map<String, String> params = req.params();
        String clientId = blankToNull(params.get("client_id"));
        if (clientId != null) {
            directory.recordAuthorizeRequest(clientId, params);
        }
        AuthorizeRequest ar;
        try {
            TenantScope scope = TenantScope.resolve(segment, directory)
                    .orElseThrow(() -> AadErrors.tenantNotFound(segment));
            if (clientId == null) {
                throw AadErrors.missingParameter("client_id");
            }
            AppRegistration app = AppAccess.require(directory, scope, clientId);
            String redirectUri = blankToNull(params.get("redirect_uri"));
            if (redirectUri == null) {
                throw AadErrors.noReplyAddress();
            }
            if (!app.hasRedirectUri(redirectUri)) {
                throw AadErrors.redirectUriMismatch(redirectUri, app.appId());
            }
            String mode = Optional.ofNullable(blankToNull(params.get("response_mode"))).orElse("query");
            ar = new AuthorizeRequest(scope, app, redirectUri, RESPONSE_MODES.contains(mode) ? mode : "query",
                    null, params.get("state"), blankToNull(params.get("nonce")),
                    blankToNull(params.get("code_challenge")), blankToNull(params.get("code_challenge_method")),
                    blankToNull(params.get("prompt")), blankToNull(params.get("login_hint")),
                    blankToNull(params.get("domain_hint")), false, null, null);
            if (!RESPONSE_MODES.contains(mode)) {
                return redirectError(ar, AadErrors.invalidRequest("The response_mode '" + mode + "' is not supported."));
            }
        } catch (AadError e) {
            return errorPage(req, e);
        }
        try {
            ar = validateProtocol(ar, params);
        } catch (AadError e) {
            return redirectError(ar, e);
        }
        return proceed(req, ar);
    }

    /** Checks response_type, scope, prompt and PKCE; errors from here on are redirected to the client. */
    private AuthorizeRequest validateProtocol(AuthorizeRequest ar, Map<String, String> params) {
        String responseType = blankToNull(params.get("response_type"));
        if (responseType == null) {
            throw AadErrors.missingParameter("response_type");
        }
        if (!"code".equals(responseType)) {
            if (responseType.contains("token")) {
                throw AadErrors.idTokenNotEnabled();
            }
            throw new AadError(400, "unsupported_response_type", 70005,
                    "The application requested an unsupported response type '" + responseType + "'.");
        }
        String scopeParam = blankToNull(params.get("scope"));
        if (scopeParam == null) {
            throw AadErrors.missingParameter("scope");
        }
        RequestedScopes scopes = RequestedScopes.parse(scopeParam, audiences, ar.scope().displayName());
        if (ar.prompt() != null && !PROMPTS.contains(ar.prompt())) {
            throw AadErrors.invalidRequest("Invalid prompt value '" + ar.prompt()
                    + "'. Supported values: login, none, consent, select_account.");
        }
        String method = null;
        if (ar.codeChallenge() == null && ar.codeChallengeMethod() != null) {
            throw AadErrors.missingParameter("code_challenge");
        }
        if (ar.codeChallenge() != null) {
            method = ar.codeChallengeMethod() == null ? "plain" : ar.codeChallengeMethod();
            if (!method.equals("S256") && !method.equals("plain")) {
                throw AadErrors.invalidRequest("Unsupported code_challenge_method '" + method + "' (S256 or plain).");
            }
            int len = ar.codeChallenge().length();
            if (len < 43 || len > 128) {
                throw new AadError(400, "invalid_request", 501491, "Invalid size of Code_Challenge parameter.");
            }
        }
        return new AuthorizeRequest(ar.scope(), ar.app(), ar.redirectUri(), ar.responseMode(), scopes, ar.state(),
                ar.nonce(), ar.codeChallenge(), method, ar.prompt(), ar.loginHint(), ar.domainHint(), false, null, null);
    }

    /** Decides between silent sign-in, the account picker and the login form. */
    private Response proceed(Request req, AuthorizeRequest ar) {
        Optional<BrowserSessions.Session> session = sessions.find(req);
        List<Signed> eligible = eligibleAccounts(session, ar.scope());
        if (ar.prompt("none")) {
            Optional<Signed> chosen = ar.loginHint() != null
                    ? eligible.stream().filter(s -> s.user().userPrincipalName().equalsIgnoreCase(ar.loginHint())).findFirst()
                    : eligible.size() == 1 ? Optional.of(eligible.get(0)) : Optional.empty();
            if (chosen.isEmpty()) {
                return redirectError(ar, eligible.size() > 1 && ar.loginHint() == null
                        ? AadErrors.multipleAccounts() : AadErrors.loginRequired());
            }
            return complete(ar, null, session.get(), chosen.get(), null);
        }
        if (ar.prompt("login")) {
            return loginForm(ar, pending.put(ar), ar.loginHint(), null);
        }
        if (ar.prompt("select_account")) {
            return picker(ar, pending.put(ar), eligible);
        }
        if (ar.loginHint() != null) {
            Optional<Signed> match = eligible.stream()
                    .filter(s -> s.user().userPrincipalName().equalsIgnoreCase(ar.loginHint())).findFirst();
            return match.isPresent() ? complete(ar, null, session.get(), match.get(), null)
                    : loginForm(ar, pending.put(ar), ar.loginHint(), null);
        }
        if (eligible.size() == 1) {
            return complete(ar, null, session.get(), eligible.get(0), null);
        }
        if (eligible.size() > 1) {
            return picker(ar, pending.put(ar), eligible);
        }
        return loginForm(ar, pending.put(ar), null, null);
    }

    /** POST {tenant}/login: credentials from the login form, or an account chosen in the picker. */
    Response login(Request req) {
        String ctx = req.formParam("ctx").orElse(null);
        Optional<AuthorizeRequest> found = pending.get(ctx);
        if (found.isEmpty()) {
            return errorPage(req, expiredFlow());
        }
        AuthorizeRequest ar = found.get();
        Optional<String> account = req.formParam("account");
        if (account.isPresent()) {
            Optional<BrowserSessions.Session> session = sessions.find(req);
            Optional<Signed> chosen = eligibleAccounts(session, ar.scope()).stream()
                    .filter(s -> s.user().id().equals(account.get())).findFirst();
            if (chosen.isEmpty()) {
                return loginForm(ar, ctx, null, null);
            }
            return complete(ar, ctx, session.get(), chosen.get(), null);
        }
        String login = req.formParam("loginfmt").orElse("").trim();
        String password = req.formParam("passwd").orElse("");
        SignInCheck check = SignInCheck.of(directory, ar.scope(), ar.app(), login, password);
        if (!check.ok()) {
            return loginForm(ar, ctx, login, check.error());
        }
        BrowserSessions.Session session = sessions.findOrCreate(req);
        BrowserSessions.Account signedIn = session.signIn(check.tenant().id(), check.user().id());
        return complete(ar, ctx, session, new Signed(signedIn, check.user()), BrowserSessions.setCookie(session));
    }

    /** GET {tenant}/login?ctx=...: "Use another account" from the picker. */
    Response otherAccount(Request req) {
        String ctx = req.query("ctx").orElse(null);
        return pending.get(ctx).map(ar -> loginForm(ar, ctx, null, null)).orElseGet(() -> errorPage(req, expiredFlow()));
    }

    /** POST {tenant}/consent. */
    Response consent(Request req) {
        String ctx = req.formParam("ctx").orElse(null);
        Optional<AuthorizeRequest> found = pending.get(ctx);
        if (found.isEmpty()) {
            return errorPage(req, expiredFlow());
        }
        AuthorizeRequest ar = found.get();
        if (!"yes".equals(req.formParam("accept").orElse("no"))) {
            pending.remove(ctx);
            return redirectError(ar, AadErrors.consentDeclined());
        }
        Optional<BrowserSessions.Session> session = sessions.find(req);
        Optional<Signed> chosen = eligibleAccounts(session, ar.scope()).stream()
                .filter(s -> s.user().id().equals(ar.accountUserId())).findFirst();
        if (chosen.isEmpty()) {
            return loginForm(ar, ctx, null, null);
        }
        return complete(ar.withConsent(), ctx, session.get(), chosen.get(), null);
    }

    /** A signed-in account with its (current) user. */
    private record Signed(BrowserSessions.Account account, User user) { }

    private List<Signed> eligibleAccounts(Optional<BrowserSessions.Session> session, TenantScope scope) {
        List<Signed> out = new ArrayList<>();
        session.ifPresent(s -> s.accounts().forEach(a -> {
            if (scope.admitsUsersOf(a.tenantId())) {
                directory.tenant(a.tenantId()).flatMap(t -> directory.user(t.id(), a.userId()))
                        .filter(User::accountEnabled)
                        .ifPresent(u -> out.add(new Signed(a, u)));
            }
        }));
        return out;
    }

    private Response complete(AuthorizeRequest ar, String ctx, BrowserSessions.Session session, Signed signed,
                              String setCookie) {
        if (!directory.isInstalled(ar.app(), signed.account().tenantId())) {
            // a multi-tenant app in a tenant whose admin has not consented: Entra refuses (user consent is off in
            // the tenants the simulator models, as in most companies)
            if (ctx != null) {
                pending.remove(ctx);
            }
            return withCookie(redirectError(ar, AadErrors.consentRequired(ar.app().appId(), ar.app().displayName())), setCookie);
        }
        if (ar.prompt("consent") && !ar.consented()) {
            AuthorizeRequest withAccount = ar.withAccount(signed.account().tenantId(), signed.user().id());
            String c = ctx == null ? pending.put(withAccount) : ctx;
            pending.replace(c, withAccount);
            List<String> perms = new ArrayList<>(ar.scopes().grantedDelegated());
            if (ar.scopes().has("offline_access")) {
                perms.add("offline_access");
            }
            Response r = Response.html(200, LoginPages.consent(action(ar, "consent"), c, ar.app().displayName(),
                    signed.user().userPrincipalName(), perms));
            return withCookie(r, setCookie);
        }
        if (ctx != null) {
            pending.remove(ctx);
        }
        String code = grants.issueCode(new Grants.CodeGrant(ar.app().appId(), ar.redirectUri(), ar.scope(),
                signed.account().tenantId(), signed.user().id(), ar.scopes(), ar.nonce(), ar.codeChallenge(),
                ar.codeChallengeMethod(), session.sessionState(), signed.account().signedInAt()));
        Map<String, String> result = new LinkedHashMap<>();
        result.put("code", code);
        if (ar.state() != null) {
            result.put("state", ar.state());
        }
        result.put("session_state", session.sessionState());
        return withCookie(respond(ar, result), setCookie);
    }

    private Response redirectError(AuthorizeRequest ar, AadError error) {
        Map<String, String> result = error.redirectParams(baseUrl);
        if (ar.state() != null) {
            result.put("state", ar.state());
        }
        return respond(ar, result);
    }

    private static Response respond(AuthorizeRequest ar, Map<String, String> params) {
        return switch (ar.responseMode()) {
            case "form_post" -> Response.html(200, LoginPages.formPost(ar.redirectUri(), params));
            case "fragment" -> Response.redirect(ar.redirectUri() + "#" + encode(params));
            default -> Response.redirect(ar.redirectUri() + (ar.redirectUri().contains("?") ? "&" : "?") + encode(params));
        };
    }

    private Response loginForm(AuthorizeRequest ar, String ctx, String login, String error) {
        return Response.html(200, LoginPages.loginForm(action(ar, "login"), ctx, ar.app().displayName(),
                ar.scope().displayName(), login, ar.domainHint(), error));
    }

    private Response picker(AuthorizeRequest ar, String ctx, List<Signed> eligible) {
        List<LoginPages.AccountChoice> choices = eligible.stream()
                .map(s -> new LoginPages.AccountChoice(s.user().id(), s.user().displayName(), s.user().userPrincipalName()))
                .toList();
        String other = action(ar, "login") + "?ctx=" + URLEncoder.encode(ctx, StandardCharsets.UTF_8);
        return Response.html(200, LoginPages.accountPicker(action(ar, "login"), ctx, ar.app().displayName(), choices, other));
    }

    private static String action(AuthorizeRequest ar, String page) {
        return "/" + ar.scope().segment() + "/" + page;
    }

    private static Response errorPage(Request req, AadError error) {
        return Response.html(error.status(), LoginPages.error(error.aadstsMessage(), req.requestId()));
    }

    private static Response withCookie(Response r, String setCookie) {
        return setCookie == null ? r : r.header("Set-Cookie", setCookie);
    }

    private static AadError expiredFlow() {
        return PendingRequests.expired();
    }

    private static String encode(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
