package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.entrapbx.simulator.identity.TokenIssuer;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.Tenant;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.simulator.support.BrowserFlow.Pkce;
import dev.entrapbx.simulator.support.BrowserFlow;
import dev.entrapbx.simulator.support.IdTokens;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import dev.entrapbx.simulator.support.TestHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class AuthorizationCodeFlowTest extends SimulatorTestSupport {
    private static Fixture fx;
    private static Fixture other;
    private static User adele;
    private static User alex;

    private BrowserFlow browser;

    @BeforeAll
    static void seed() {
        fx = fixture("Contoso");
        other = fixture("Fabrikam");
        adele = user(fx, "adele");
        alex = user(fx, "alex");
        user(other, "anna");
    }

    @BeforeEach
    void newBrowser() {
        browser = new BrowserFlow(sim.sslContext(), sim.baseUrl());
    }

    private Map<String, String> params(Pkce pkce, String... extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("client_id", fx.clientId());
        p.put("response_type", "code");
        p.put("redirect_uri", fx.redirectUri());
        p.put("scope", "openid profile email offline_access");
        p.put("state", "st-" + UUID.randomUUID());
        p.put("nonce", "n-" + UUID.randomUUID());
        p.put("code_challenge", pkce.challenge());
        p.put("code_challenge_method", "S256");
        for (int i = 0; i + 1 < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return p;
    }

    private HttpResponse<String> authorize(String tenant, Map<String, String> p) {
        return browser.open(BrowserFlow.authorizeUrl(sim.baseUrl(), tenant, p));
    }

    private HttpResponse<String> redeem(String code, Pkce pkce) {
        return http.postForm(tokenEndpoint(fx.tenantId()), Map.of("grant_type", "authorization_code",
                "client_id", fx.clientId(), "client_secret", fx.secret(), "code", code,
                "redirect_uri", fx.redirectUri(), "code_verifier", pkce.verifier()));
    }

    /** Signs in through the form (forcing it with prompt=login) and returns the redirect's parameters. */
    private Map<String, String> signIn(Map<String, String> p, String upn) {
        p.putIfAbsent("prompt", "login");
        HttpResponse<String> form = authorize(fx.tenantId(), p);
        assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
        assertThat(form.body()).contains("name=\"loginfmt\"", "name=\"passwd\"");
        HttpResponse<String> done = browser.login(form, upn, PASSWORD);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        return BrowserFlow.redirectParams(done);
    }

    @Test
    void pkceRoundTripIssuesTokensWhoseIdTokenVerifiesAgainstTheJwks() throws Exception {
        Pkce pkce = Pkce.create();
        Map<String, String> p = params(pkce);
        HttpResponse<String> form = authorize(fx.tenantId(), p);
        HttpResponse<String> redirect = browser.login(form, adele.userPrincipalName(), PASSWORD);
        assertThat(redirect.headers().firstValue("Location").orElseThrow()).startsWith(fx.redirectUri() + "?");
        assertThat(redirect.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("ESTSAUTH=").contains("Secure", "HttpOnly");
        Map<String, String> result = BrowserFlow.redirectParams(redirect);
        assertThat(result).containsKeys("code", "session_state").containsEntry("state", p.get("state"));

        HttpResponse<String> tokenResponse = redeem(result.get("code"), pkce);
        assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
        assertThat(tokenResponse.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        JsonNode tokens = TestHttp.json(tokenResponse);
        assertThat(tokens.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(tokens.get("expires_in").asInt()).isGreaterThan(3000);
        assertThat(tokens.get("scope").asText()).contains("openid", "profile", "email", "offline_access");
        assertThat(tokens.has("refresh_token")).isTrue();

        JsonNode discovery = TestHttp.json(http.get(sim.baseUrl() + "/" + fx.tenantId()
                + "/v2.0/.well-known/openid-configuration"));
        String idToken = tokens.get("id_token").asText();
        JWTClaimsSet claims = IdTokens.validate(http, discovery.get("jwks_uri").asText(), idToken, fx.clientId(),
                discovery.get("issuer").asText());
        assertThat(SignedJWT.parse(idToken).getHeader().getKeyID()).isEqualTo(sim.signingKeys().current().kid());
        assertThat(claims.getAudience()).containsExactly(fx.clientId());
        assertThat(claims.getIssuer()).isEqualTo(sim.baseUrl() + "/" + fx.tenantId() + "/v2.0");
        assertThat(claims.getStringClaim("nonce")).isEqualTo(p.get("nonce"));
        assertThat(claims.getStringClaim("tid")).isEqualTo(fx.tenantId());
        assertThat(claims.getStringClaim("oid")).isEqualTo(adele.id());
        assertThat(claims.getSubject()).isEqualTo(TokenIssuer.pairwiseSubject(fx.clientId(), adele.id()))
                .isNotEqualTo(TokenIssuer.pairwiseSubject(other.clientId(), adele.id()));
        assertThat(claims.getStringClaim("preferred_username")).isEqualTo(adele.userPrincipalName());
        assertThat(claims.getStringClaim("name")).isEqualTo(adele.displayName());
        assertThat(claims.getStringClaim("email")).isEqualTo(adele.mail());
        assertThat(claims.getBooleanClaim("xms_edov")).isTrue();
        assertThat(claims.getStringClaim("ver")).isEqualTo("2.0");
        assertThat(claims.getStringClaim("sid")).isEqualTo(result.get("session_state"));
        assertThat(claims.getStringClaim("uti")).isNotBlank();
        assertThat(claims.getStringClaim("rh")).isNotBlank();
        assertThat(claims.getStringClaim("aio")).isNotBlank();
        assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());

        JWTClaimsSet access = SignedJWT.parse(tokens.get("access_token").asText()).getJWTClaimsSet();
        assertThat(access.getAudience()).containsExactly("https://graph.microsoft.com");
        assertThat(access.getStringClaim("scp")).contains("User.Read", "openid", "profile", "email");
        assertThat(access.getStringClaim("idtyp")).isEqualTo("user");
        JsonNode me = graphJson(tokens.get("access_token").asText(), "/v1.0/me");
        assertThat(me.get("userPrincipalName").asText()).isEqualTo(adele.userPrincipalName());

        JsonNode userinfo = TestHttp.json(http.get(sim.baseUrl() + "/oidc/userinfo",
                "Authorization", "Bearer " + tokens.get("access_token").asText()));
        assertThat(userinfo.get("sub").asText()).isEqualTo(claims.getSubject());
        assertThat(userinfo.get("email").asText()).isEqualTo(adele.mail());
        assertThat(userinfo.get("given_name").asText()).isEqualTo("Adele");
    }

    @Test
    void aCodeIsRedeemedOnlyOnce() {
        Pkce pkce = Pkce.create();
        String code = signIn(params(pkce), adele.userPrincipalName()).get("code");
        assertThat(redeem(code, pkce).statusCode()).isEqualTo(200);
        HttpResponse<String> replay = redeem(code, pkce);
        assertThat(replay.statusCode()).isEqualTo(400);
        JsonNode body = TestHttp.json(replay);
        assertThat(body.get("error").asText()).isEqualTo("invalid_grant");
        assertThat(body.get("error_codes").get(0).asInt()).isEqualTo(54005);
        assertThat(body.get("error_description").asText()).startsWith("AADSTS54005: OAuth2 Authorization code was already redeemed");
    }

    @Test
    void pkceVerifierAndRedirectUriAreChecked() {
        Pkce pkce = Pkce.create();
        String code = signIn(params(pkce), adele.userPrincipalName()).get("code");
        HttpResponse<String> wrong = redeem(code, Pkce.create());
        assertThat(TestHttp.json(wrong).get("error_codes").get(0).asInt()).isEqualTo(501481);

        String code2 = signIn(params(pkce), adele.userPrincipalName()).get("code");
        HttpResponse<String> missing = http.postForm(tokenEndpoint(fx.tenantId()), Map.of("grant_type",
                "authorization_code", "client_id", fx.clientId(), "client_secret", fx.secret(), "code", code2,
                "redirect_uri", fx.redirectUri()));
        assertThat(TestHttp.json(missing).get("error_codes").get(0).asInt()).isEqualTo(50148);

        String code3 = signIn(params(pkce), adele.userPrincipalName()).get("code");
        HttpResponse<String> otherUri = http.postForm(tokenEndpoint(fx.tenantId()), Map.of("grant_type",
                "authorization_code", "client_id", fx.clientId(), "client_secret", fx.secret(), "code", code3,
                "redirect_uri", "https://evil.example/cb", "code_verifier", pkce.verifier()));
        assertThat(TestHttp.json(otherUri).get("error_codes").get(0).asInt()).isEqualTo(500112);
    }

    @Test
    void plainPkceChallengesAreAccepted() {
        Pkce pkce = Pkce.create();
        Pkce plain = new Pkce(pkce.verifier(), pkce.verifier());
        Map<String, String> p = params(plain, "code_challenge_method", "plain");
        String code = signIn(p, adele.userPrincipalName()).get("code");
        assertThat(redeem(code, plain).statusCode()).isEqualTo(200);
        Map<String, String> tooShort = BrowserFlow.redirectParams(authorize(fx.tenantId(),
                params(pkce, "code_challenge", "short")));
        assertThat(tooShort).containsEntry("error", "invalid_request");
    }

    @Test
    void refreshTokensRotateAndStopWorkingForDisabledUsers() {
        User temp = user(fx, "refresh" + UUID.randomUUID().toString().substring(0, 6));
        Pkce pkce = Pkce.create();
        JsonNode first = TestHttp.json(redeem(signIn(params(pkce), temp.userPrincipalName()).get("code"), pkce));
        String rt1 = first.get("refresh_token").asText();
        HttpResponse<String> refreshed = http.postForm(tokenEndpoint(fx.tenantId()), Map.of("grant_type",
                "refresh_token", "client_id", fx.clientId(), "client_secret", fx.secret(), "refresh_token", rt1));
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        JsonNode second = TestHttp.json(refreshed);
        assertThat(second.get("refresh_token").asText()).isNotEqualTo(rt1);
        assertThat(second.get("access_token").asText()).isNotEqualTo(first.get("access_token").asText());
        assertThat(second.has("id_token")).isTrue();

        sim.directory().updateUser(fx.tenantId(), temp.id(), b -> b.accountEnabled(false));
        HttpResponse<String> denied = http.postForm(tokenEndpoint(fx.tenantId()), Map.of("grant_type",
                "refresh_token", "client_id", fx.clientId(), "client_secret", fx.secret(),
                "refresh_token", second.get("refresh_token").asText()));
        assertThat(denied.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(denied).get("error_codes").get(0).asInt()).isEqualTo(50057);
    }

    @Test
    void noRefreshTokenWithoutOfflineAccess() {
        Pkce pkce = Pkce.create();
        Map<String, String> p = params(pkce, "scope", "openid profile");
        JsonNode tokens = TestHttp.json(redeem(signIn(p, adele.userPrincipalName()).get("code"), pkce));
        assertThat(tokens.has("refresh_token")).isFalse();
        assertThat(tokens.has("id_token")).isTrue();
    }

    @Test
    void loginHintPrefillsTheUsernameAndDomainHintIsShownAndRecorded() {
        Map<String, String> p = params(Pkce.create(), "login_hint", alex.userPrincipalName(), "domain_hint", fx.domain());
        HttpResponse<String> form = authorize(fx.tenantId(), p);
        assertThat(form.body()).contains("value=\"" + alex.userPrincipalName() + "\"");
        assertThat(form.body()).contains("id=\"domainHint\"", fx.domain());
        assertThat(sim.directory().lastAuthorizeRequest(fx.clientId()).orElseThrow())
                .containsEntry("login_hint", alex.userPrincipalName())
                .containsEntry("domain_hint", fx.domain())
                .containsEntry("code_challenge_method", "S256");
    }

    @Test
    void promptNoneFailsWithoutASessionAndSucceedsWithOne() {
        Map<String, String> p = params(Pkce.create(), "prompt", "none");
        Map<String, String> error = BrowserFlow.redirectParams(authorize(fx.tenantId(), p));
        assertThat(error).containsEntry("error", "login_required").containsEntry("state", p.get("state"));
        assertThat(error.get("error_description")).startsWith("AADSTS50058");

        signIn(params(Pkce.create()), adele.userPrincipalName());
        Map<String, String> silent = BrowserFlow.redirectParams(authorize(fx.tenantId(), params(Pkce.create(), "prompt", "none")));
        assertThat(silent).containsKey("code");
    }

    @Test
    void theBrowserSessionGivesSingleSignOnUntilLogout() throws Exception {
        Pkce pkce = Pkce.create();
        JsonNode tokens = TestHttp.json(redeem(signIn(params(pkce), adele.userPrincipalName()).get("code"), pkce));
        HttpResponse<String> again = authorize(fx.tenantId(), params(Pkce.create()));
        assertThat(again.statusCode()).isEqualTo(302);
        assertThat(BrowserFlow.redirectParams(again)).containsKey("code");

        HttpResponse<String> forced = authorize(fx.tenantId(), params(Pkce.create(), "prompt", "login"));
        assertThat(forced.statusCode()).isEqualTo(200);
        assertThat(forced.body()).contains("name=\"passwd\"");

        HttpResponse<String> logout = browser.open(sim.baseUrl() + "/" + fx.tenantId() + "/oauth2/v2.0/logout?"
                + TestHttp.formBody(Map.of("post_logout_redirect_uri", fx.redirectUri(),
                "id_token_hint", tokens.get("id_token").asText(), "state", "bye")));
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(logout.headers().firstValue("Location").orElseThrow()).isEqualTo(fx.redirectUri() + "?state=bye");
        Map<String, String> afterLogout = BrowserFlow.redirectParams(authorize(fx.tenantId(),
                params(Pkce.create(), "prompt", "none")));
        assertThat(afterLogout).containsEntry("error", "login_required");
    }

    @Test
    void selectAccountShowsThePickerWithTheSignedInAccounts() {
        signIn(params(Pkce.create()), adele.userPrincipalName());
        signIn(params(Pkce.create(), "prompt", "login"), alex.userPrincipalName());
        HttpResponse<String> picker = authorize(fx.tenantId(), params(Pkce.create(), "prompt", "select_account"));
        assertThat(picker.statusCode()).isEqualTo(200);
        assertThat(picker.body()).contains("Pick an account", adele.userPrincipalName(), alex.userPrincipalName(),
                "Use another account");
        HttpResponse<String> picked = browser.pick(picker, alex.id());
        Pkce pkce = Pkce.create();
        assertThat(picked.statusCode()).isEqualTo(302);
        assertThat(BrowserFlow.redirectParams(picked)).containsKey("code");

        HttpResponse<String> noPrompt = authorize(fx.tenantId(), params(pkce));
        assertThat(noPrompt.body()).contains("Pick an account");
        HttpResponse<String> hinted = authorize(fx.tenantId(), params(pkce, "login_hint", adele.userPrincipalName()));
        assertThat(hinted.statusCode()).isEqualTo(302);
    }

    @Test
    void badCredentialsAndIneligibleUsersSeeEntraErrors() {
        HttpResponse<String> form = authorize(fx.tenantId(), params(Pkce.create()));
        HttpResponse<String> wrong = browser.login(form, adele.userPrincipalName(), "nope");
        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).contains("AADSTS50126: Error validating credentials due to invalid username or password.");

        HttpResponse<String> unknown = browser.login(form, "ghost@" + fx.domain(), PASSWORD);
        assertThat(unknown.body()).contains("AADSTS50034");

        User disabled = sim.directory().createUser(fx.tenantId(), User.builder().userPrincipalName("gone@" + fx.domain())
                .password(PASSWORD).accountEnabled(false));
        assertThat(browser.login(form, disabled.userPrincipalName(), PASSWORD).body())
                .contains("AADSTS50057: The user account is disabled.");

        HttpResponse<String> foreign = browser.login(form, "anna@" + other.domain(), PASSWORD);
        assertThat(foreign.body()).contains("AADSTS50020", "does not exist in tenant &#39;Contoso&#39;");
    }

    @Test
    void unregisteredRedirectUriAndUnknownClientGetAnErrorPage() {
        HttpResponse<String> mismatch = authorize(fx.tenantId(), params(Pkce.create(), "redirect_uri", "https://evil.example/cb"));
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(mismatch.headers().firstValue("Location")).isEmpty();
        assertThat(mismatch.body()).contains("AADSTS50011", "https://evil.example/cb", fx.clientId());

        HttpResponse<String> unknown = authorize(fx.tenantId(), params(Pkce.create(), "client_id", UUID.randomUUID().toString()));
        assertThat(unknown.body()).contains("AADSTS700016");

        HttpResponse<String> singleTenantOnOrganizations = authorize("organizations", params(Pkce.create()));
        assertThat(singleTenantOnOrganizations.body()).contains("AADSTS50194");

        Map<String, String> badScope = BrowserFlow.redirectParams(authorize(fx.tenantId(),
                params(Pkce.create(), "response_type", "token")));
        assertThat(badScope).containsEntry("error", "unsupported_response_type");
    }

    @Test
    void formPostAnswersWithAnAutoSubmittingForm() {
        Map<String, String> p = params(Pkce.create(), "response_mode", "form_post");
        HttpResponse<String> form = authorize(fx.tenantId(), p);
        HttpResponse<String> done = browser.login(form, adele.userPrincipalName(), PASSWORD);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("action=\"" + fx.redirectUri() + "\"", "document.forms[0].submit()");
        assertThat(BrowserFlow.hiddenFields(done.body())).containsKey("code").containsEntry("state", p.get("state"));
    }

    @Test
    void consentPromptAsksBeforeIssuingACode() {
        HttpResponse<String> form = authorize(fx.tenantId(), params(Pkce.create(), "prompt", "consent"));
        HttpResponse<String> consent = browser.login(form, adele.userPrincipalName(), PASSWORD);
        assertThat(consent.body()).contains("Permissions requested", "User.Read");
        Map<String, String> fields = BrowserFlow.hiddenFields(consent.body());
        fields.put("accept", "yes");
        HttpResponse<String> accepted = browser.post(BrowserFlow.formAction(consent.body()), fields);
        assertThat(BrowserFlow.redirectParams(accepted)).containsKey("code");

        HttpResponse<String> consent2 = authorize(fx.tenantId(), params(Pkce.create(), "prompt", "consent"));
        Map<String, String> f2 = BrowserFlow.hiddenFields(consent2.body());
        f2.put("accept", "no");
        assertThat(BrowserFlow.redirectParams(browser.post(BrowserFlow.formAction(consent2.body()), f2)))
                .containsEntry("error", "access_denied");
    }

    @Test
    void xmsEdovIsFalseWhenTheEmailDomainIsNotVerifiedOrTheUserIsFlagged() throws Exception {
        User outsider = sim.directory().createUser(fx.tenantId(), User.builder()
                .userPrincipalName("outsider@" + fx.domain()).mail("ceo@victim.example").password(PASSWORD));
        User flagged = sim.directory().createUser(fx.tenantId(), User.builder()
                .userPrincipalName("flagged@" + fx.domain()).mail("flagged@" + fx.domain()).emailVerified(false)
                .password(PASSWORD));
        for (User u : new User[] {outsider, flagged}) {
            Pkce pkce = Pkce.create();
            Map<String, String> p = params(pkce, "prompt", "login");
            JsonNode tokens = TestHttp.json(redeem(signIn(p, u.userPrincipalName()).get("code"), pkce));
            JWTClaimsSet claims = SignedJWT.parse(tokens.get("id_token").asText()).getJWTClaimsSet();
            assertThat(claims.getStringClaim("email")).isEqualTo(u.mail());
            assertThat(claims.getBooleanClaim("xms_edov")).as(u.userPrincipalName()).isFalse();
        }
    }

    @Test
    void multiTenantAppsSignInUsersOfAnyTenantThroughOrganizations() throws Exception {
        AppRegistration multi = sim.directory().createApp(fx.tenantId(), AppRegistration.builder()
                .displayName("Multi").multiTenant().redirectUri("https://multi.example/cb")
                .secret("multi-secret", Instant.now().plus(1, ChronoUnit.DAYS)));
        // before Fabrikam's admin consents, its users are refused (AADSTS65001)
        Map<String, String> refused = BrowserFlow.redirectParams(browser.login(authorize("organizations",
                params(Pkce.create(), "client_id", multi.appId(), "redirect_uri", "https://multi.example/cb")),
                "anna@" + other.domain(), PASSWORD));
        assertThat(refused.get("error")).isEqualTo("consent_required");
        assertThat(refused.get("error_description")).startsWith("AADSTS65001: ");
        sim.directory().grantAdminConsent(other.tenantId(), multi.appId());
        browser = new BrowserFlow(sim.sslContext(), sim.baseUrl());

        Pkce pkce = Pkce.create();
        Map<String, String> p = params(pkce, "client_id", multi.appId(), "redirect_uri", "https://multi.example/cb");
        HttpResponse<String> form = authorize("organizations", p);
        String code = BrowserFlow.redirectParams(browser.login(form, "anna@" + other.domain(), PASSWORD)).get("code");
        JsonNode tokens = TestHttp.json(http.postForm(tokenEndpoint("organizations"), Map.of("grant_type",
                "authorization_code", "client_id", multi.appId(), "client_secret", "multi-secret", "code", code,
                "redirect_uri", "https://multi.example/cb", "code_verifier", pkce.verifier())));
        JWTClaimsSet claims = SignedJWT.parse(tokens.get("id_token").asText()).getJWTClaimsSet();
        Tenant fabrikam = other.tenant();
        assertThat(claims.getStringClaim("tid")).isEqualTo(fabrikam.id());
        assertThat(claims.getIssuer()).isEqualTo(sim.baseUrl() + "/" + fabrikam.id() + "/v2.0");
    }
}
