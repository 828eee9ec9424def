package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entrapbx.harness.Browserless;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.simulator.EntraSimulator;
import dev.entrapbx.simulator.model.User;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Email-first login and SSO policy, through the real Keycloak and the Entra simulator: who goes to
 * Microsoft, who gets the password step, the password gate (browser and direct grant), the switch,
 * the exclusion list (user and group), unknown addresses, the remembered email and admin events.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SsoLoginIT {

    private static final String REALM = "sso-it";
    private static final String ORG = "tailspin";
    private static final String DOMAIN = "tailspin.example";
    private static final String IDP = "tailspin-entra";
    private static final String LOCAL_PASSWORD = "Local-Passw0rd!";
    private static final String ENTRA_PASSWORD = Customer.PASSWORD;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SmtpSink smtp;
    private Customer tailspin;
    private EntraPbxStack stack;
    private EntraSimulator sim;
    private KeycloakAdminClient admin;
    private TestRealm realm;
    private String amyId;

    @BeforeAll
    void setUp(EntraPbxStack stack) throws Exception {
        this.stack = stack;
        this.sim = stack.simulator();
        this.admin = stack.keycloak().admin();
        this.realm = TestRealm.create(admin, REALM);
        // the ready-made flows exist in every new realm; bind them as this realm's login flows
        JsonNode rep = admin.get("/" + REALM);
        Map<String, Object> update = JSON.convertValue(rep, Map.class);
        update.put("browserFlow", "entra-pbx browser");
        update.put("directGrantFlow", "entra-pbx direct grant");
        update.put("resetCredentialsFlow", "entra-pbx reset credentials");
        update.put("firstBrokerLoginFlow", "entra-pbx first broker login");
        update.put("resetPasswordAllowed", true);
        update.put("loginTheme", "entra-pbx"); // its remembered-account and Microsoft buttons
        admin.send("PUT", "/" + REALM, update).expect(204);

        this.smtp = new SmtpSink();
        tailspin = Customer.in(stack, realm, ORG).displayName("Tailspin").domain(DOMAIN).idpAlias(IDP).create();
        admin.send("POST", "/" + REALM + "/groups", Map.of("name", "sso-exceptions")).expect(201);

        // amy: an Entra user, as the sync leaves her: member, linked by object id, and a local password too
        User amyAtMicrosoft = tailspin.entraUser("amy", u -> u.surname("Entra").displayName("Amy Entra"));
        amyId = member("amy@" + DOMAIN);
        admin.send("POST", "/" + REALM + "/users/" + amyId + "/federated-identity/" + IDP,
                Map.of("identityProvider", IDP, "userId", amyAtMicrosoft.id(), "userName", "amy@" + DOMAIN)).expect(204);
        member("ben@" + DOMAIN);  // on the exclusion list
        String cat = member("cat@" + DOMAIN); // in the excluded group
        String group = admin.get("/" + REALM + "/groups?search=sso-exceptions&exact=true").get(0).path("id").asText();
        admin.send("PUT", "/" + REALM + "/users/" + cat + "/groups/" + group, null).expect(204);
        realm.createUser("local@elsewhere.example", "local@elsewhere.example", true, LOCAL_PASSWORD);
        realm.createUser("dan@" + DOMAIN, "dan@" + DOMAIN, true, LOCAL_PASSWORD); // on the domain, but no member
        member("zed@upn.example"); // a member whose address is on no customer domain
        member("rita@" + DOMAIN); // the reset-password tests change her password
        member("finn@" + DOMAIN); // the first-broker-login test

        policy(Map.of("ssoEnabled", true, "excludedUsers", List.of("BEN@" + DOMAIN), "excludedGroup", "/sso-exceptions")).expect(200, 201);
    }

    @AfterAll
    void tearDown() throws Exception {
        if (smtp != null) {
            smtp.close();
        }
    }

    private String member(String email) {
        return tailspin.localMember(email, email, LOCAL_PASSWORD);
    }

    private Response policy(Map<String, Object> body) {
        return new Response(admin.send("PUT", "/" + REALM + "/sso-policy/organizations/" + ORG, body));
    }

    /** A response that may be one of several statuses. */
    private record Response(KeycloakAdminClient.Response r) {
        Response expect(int... statuses) {
            for (int s : statuses) {
                if (r.status() == s) {
                    return this;
                }
            }
            throw new AssertionError("expected " + java.util.Arrays.toString(statuses) + ", got " + r.status() + ": " + r.body());
        }
    }

    private URI authorize() {
        return URI.create(stack.keycloak().baseUrl() + "/realms/" + REALM + "/protocol/openid-connect/auth?client_id=" + TestRealm.CLIENT_ID
                + "&response_type=code&scope=openid&redirect_uri=" + Browserless.enc(TestRealm.CLIENT_REDIRECT));
    }

    private Browserless newBrowser() {
        return new Browserless(sim.sslContext());
    }

    /** Opens the login, types {@code email} on the email page, and follows what Keycloak answers (stops at the simulator). */
    private Browserless.Page typeEmail(Browserless browser, String email) {
        Browserless.Page page = browser.get(authorize());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"username\"").doesNotContain("name=\"password\"");
        return browser.follow(browser.submit(page, "username", Map.of("username", email)), sim.baseUrl());
    }

    private void assertSentToMicrosoft(Browserless.Page page, String email) {
        assertThat(page.isRedirect()).as("expected a redirect towards Microsoft, got %s %s:%n%s", page.status(), page.uri(), page.body()).isTrue();
        URI microsoft = page.next();
        assertThat(microsoft.toString()).startsWith(sim.baseUrl()).contains("/oauth2/v2.0/authorize");
        assertThat(Browserless.query(microsoft)).containsEntry("login_hint", email).containsEntry("domain_hint", DOMAIN);
    }

    private static void assertPasswordPage(Browserless.Page page, String email) {
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"password\"").contains(email);
    }

    private static void assertReachedClient(Browserless.Page page) {
        assertThat(page.isRedirect()).as("expected the client redirect, got %s %s:%n%s", page.status(), page.uri(), page.body()).isTrue();
        assertThat(page.location()).startsWith(TestRealm.CLIENT_REDIRECT).contains("code=");
    }

    private Browserless.Page password(Browserless browser, Browserless.Page page, String password) {
        return browser.follow(browser.submit(page, "password", Map.of("password", password)), TestRealm.CLIENT_REDIRECT);
    }

    private HttpResponse<String> directGrant(String username, String password) throws Exception {
        String form = "grant_type=password&client_id=" + TestRealm.CLIENT_ID + "&scope=openid&username=" + Browserless.enc(username)
                + "&password=" + Browserless.enc(password);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.keycloak().baseUrl() + "/realms/" + REALM
                        + "/protocol/openid-connect/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void ssoUserGoesStraightToMicrosoftWithLoginHintAndSignsInWithoutFirstBrokerLogin() {
        Browserless browser = newBrowser();
        Browserless.Page page = typeEmail(browser, "amy@" + DOMAIN);
        assertSentToMicrosoft(page, "amy@" + DOMAIN);

        Browserless.Page form = browser.get(page.next());
        assertThat(form.body()).contains("loginfmt").contains("amy@" + DOMAIN); // Microsoft's page has the email filled in
        Browserless.Page end = browser.follow(browser.submit(form, "loginfmt", Map.of("loginfmt", "amy@" + DOMAIN, "passwd", ENTRA_PASSWORD)),
                TestRealm.CLIENT_REDIRECT);
        assertReachedClient(end);
        assertThat(realm.user("amy@" + DOMAIN).path("id").asText()).isEqualTo(amyId);
    }

    /** Opens the login, types {@code email} and presses "Sign in with a password" (every address has it). */
    private Browserless.Page passwordInstead(Browserless browser, String email) {
        Browserless.Page page = browser.get(authorize());
        return browser.follow(browser.submit(page, "username", Map.of("username", email, "entraPbxUsePassword", "1")), sim.baseUrl());
    }

    @Test
    void excludedUserReachesThePasswordStepThroughSignInWithAPasswordAndSignsIn() {
        Browserless browser = newBrowser();
        Browserless.Page page = passwordInstead(browser, "ben@" + DOMAIN);
        assertPasswordPage(page, "ben@" + DOMAIN);
        assertThat(page.body()).as("the domain signs in with Microsoft: the button is offered").contains("entrapbx-use-microsoft");
        assertReachedClient(password(browser, page, LOCAL_PASSWORD));
    }

    @Test
    void memberOfTheExcludedGroupSignsInWithThePassword() throws Exception {
        Browserless browser = newBrowser();
        Browserless.Page page = passwordInstead(browser, "cat@" + DOMAIN);
        assertPasswordPage(page, "cat@" + DOMAIN);
        assertReachedClient(password(browser, page, LOCAL_PASSWORD));
        assertThat(directGrant("cat@" + DOMAIN, LOCAL_PASSWORD).statusCode()).isEqualTo(200);
    }

    @Test
    void ssoUsersPasswordIsRefusedButKeptAndWorksAgainWhenSsoIsSwitchedOff() throws Exception {
        // direct grant: refused without checking the password, with Keycloak's answer for a wrong password
        HttpResponse<String> refused = directGrant("amy@" + DOMAIN, LOCAL_PASSWORD);
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(refused.body());
        assertThat(error.path("error").asText()).isEqualTo("invalid_grant");
        assertThat(error.path("error_description").asText()).isEqualTo("Invalid user credentials");
        assertThat(realm.events("LOGIN_ERROR")).anySatisfy(e -> {
            assertThat(e.path("error").asText()).isEqualTo("sso_required");
            assertThat(e.path("userId").asText()).isEqualTo(amyId);
            assertThat(e.path("details").path("reason").asText()).isEqualTo("ORGANIZATION_MEMBER");
        });

        // the browser: "Sign in with a password", the right password, refused
        Browserless gated = newBrowser();
        Browserless.Page refusedPage = password(gated, passwordInstead(gated, "amy@" + DOMAIN), LOCAL_PASSWORD);
        assertThat(refusedPage.isRedirect()).as("no session without Microsoft").isFalse();
        assertThat(refusedPage.body()).contains("Accounts of " + DOMAIN + " sign in with Microsoft");

        // SSO off (the outage switch): the same password works at once, in the browser and for direct grant
        Browserless browser = newBrowser();
        try {
            policy(Map.of("ssoEnabled", false, "excludedUsers", List.of("ben@" + DOMAIN), "excludedGroup", "/sso-exceptions")).expect(200);
            assertThat(directGrant("amy@" + DOMAIN, LOCAL_PASSWORD).statusCode()).isEqualTo(200);
            Browserless.Page page = typeEmail(browser, "amy@" + DOMAIN);
            assertPasswordPage(page, "amy@" + DOMAIN);
            assertThat(page.body()).doesNotContain("entrapbx-use-microsoft");
            assertReachedClient(password(browser, page, LOCAL_PASSWORD));

            // browser gate: SSO comes back on while amy is on the password page -> her password is refused
            Browserless other = newBrowser();
            Browserless.Page passwordPage = typeEmail(other, "amy@" + DOMAIN);
            assertPasswordPage(passwordPage, "amy@" + DOMAIN);
            policy(Map.of("ssoEnabled", true, "excludedUsers", List.of("ben@" + DOMAIN), "excludedGroup", "/sso-exceptions")).expect(200);
            Browserless.Page gate = password(other, passwordPage, LOCAL_PASSWORD);
            assertThat(gate.status()).isEqualTo(200);
            assertThat(gate.body()).contains("Accounts of " + DOMAIN + " sign in with Microsoft").contains("entrapbx-use-microsoft");
            // its "Sign in with Microsoft" button continues to Microsoft
            Browserless.Page toMicrosoft = other.follow(other.submit(gate, "entraPbxUseSso", Map.of()), sim.baseUrl());
            assertSentToMicrosoft(toMicrosoft, "amy@" + DOMAIN);
        } finally {
            policy(Map.of("ssoEnabled", true, "excludedUsers", List.of("ben@" + DOMAIN), "excludedGroup", "/sso-exceptions")).expect(200);
        }
        assertThat(directGrant("amy@" + DOMAIN, LOCAL_PASSWORD).statusCode()).isEqualTo(400);
    }

    /**
     * Known SSO member, unknown, excluded by name, excluded by group and known non-member addresses
     * of one customer domain: the email step, the password step, a wrong password and (for the SSO
     * member) the right one all answer the same, up to the address typed and per-session codes.
     */
    @Test
    void everyAddressOfACustomerDomainGetsTheSameAnswers() {
        List<String> addresses = List.of("amy@" + DOMAIN, "new.hire@" + DOMAIN, "ben@" + DOMAIN, "cat@" + DOMAIN, "dan@" + DOMAIN);
        Map<String, String> emailStep = new LinkedHashMap<>();
        Map<String, String> passwordStep = new LinkedHashMap<>();
        Map<String, String> wrongPassword = new LinkedHashMap<>();
        for (String a : addresses) {
            Browserless b = newBrowser();
            Browserless.Page answer = b.submit(b.get(authorize()), "username", Map.of("username", a));
            emailStep.put(a, answer.status() + " " + normalized(String.valueOf(answer.location()), a) + " " + normalized(answer.body(), a));
            Browserless c = newBrowser();
            Browserless.Page page = passwordInstead(c, a);
            passwordStep.put(a, page.status() + " " + normalized(page.body(), a));
            Browserless.Page wrong = password(c, page, "Wrong-Passw0rd!");
            wrongPassword.put(a, wrong.status() + " " + normalized(wrong.body(), a));
        }
        assertThat(emailStep.values()).as("email step: %s", emailStep).allMatch(v -> v.equals(emailStep.get("new.hire@" + DOMAIN)));
        assertThat(emailStep.get("amy@" + DOMAIN)).startsWith("303 ").contains("/broker/" + IDP + "/login");
        assertThat(passwordStep.values()).as("password step").allMatch(v -> v.equals(passwordStep.get("new.hire@" + DOMAIN)));
        assertThat(wrongPassword.values()).as("wrong password").allMatch(v -> v.equals(wrongPassword.get("new.hire@" + DOMAIN)));

        // the SSO member's right (kept) password is refused exactly like a wrong one
        Browserless amy = newBrowser();
        Browserless.Page right = password(amy, passwordInstead(amy, "amy@" + DOMAIN), LOCAL_PASSWORD);
        assertThat(right.status() + " " + normalized(right.body(), "amy@" + DOMAIN)).isEqualTo(wrongPassword.get("new.hire@" + DOMAIN));
    }

    /** A member's address on a domain that is no customer's routes like any address of that domain: nothing names the customer. */
    @Test
    void aMembersAddressOnANonCustomerDomainLooksLikeAnUnknownOne() {
        Browserless a = newBrowser();
        Browserless b = newBrowser();
        Browserless.Page member = typeEmail(a, "zed@upn.example");
        Browserless.Page unknown = typeEmail(b, "nobody@upn.example");
        assertPasswordPage(member, "zed@upn.example");
        assertThat(member.uri().toString()).doesNotContain("/broker/");
        assertThat(normalized(member.body(), "zed@upn.example")).isEqualTo(normalized(unknown.body(), "nobody@upn.example"));
        Browserless.Page refused = password(a, member, LOCAL_PASSWORD); // SSO applies to zed: refused like a wrong password
        Browserless.Page wrong = password(b, unknown, "Wrong-Passw0rd!");
        assertThat(refused.body()).contains("Invalid username or password.");
        assertThat(normalized(refused.body(), "zed@upn.example")).isEqualTo(normalized(wrong.body(), "nobody@upn.example"));
    }

    @Test
    void directGrantAnswersAlikeForEveryAddress() throws Exception {
        Map<String, String> answers = new LinkedHashMap<>();
        answers.put("SSO member, right password", answer(directGrant("amy@" + DOMAIN, LOCAL_PASSWORD)));
        answers.put("SSO member, wrong password", answer(directGrant("amy@" + DOMAIN, "Wrong-Passw0rd!")));
        answers.put("unknown on the domain", answer(directGrant("new.hire@" + DOMAIN, LOCAL_PASSWORD)));
        answers.put("excluded, wrong password", answer(directGrant("ben@" + DOMAIN, "Wrong-Passw0rd!")));
        answers.put("non-member, wrong password", answer(directGrant("dan@" + DOMAIN, "Wrong-Passw0rd!")));
        answers.put("unknown elsewhere", answer(directGrant("nobody@nowhere.example", LOCAL_PASSWORD)));
        assertThat(answers.values()).as("%s", answers)
                .allMatch(v -> v.equals("400 {\"error\":\"invalid_grant\",\"error_description\":\"Invalid user credentials\"}"));
    }

    private static String answer(HttpResponse<String> r) {
        return r.statusCode() + " " + r.body();
    }

    // ------------------------------------------------------------------ reset password and first broker login

    private void smtp(boolean on) {
        JsonNode rep = admin.get("/" + REALM);
        Map<String, Object> update = JSON.convertValue(rep, Map.class);
        update.put("smtpServer", on ? Map.of("host", "127.0.0.1", "port", String.valueOf(smtp.port()), "from", "no-reply@tailspin-voice.example",
                "auth", "false", "ssl", "false", "starttls", "false") : Map.of());
        admin.send("PUT", "/" + REALM, update).expect(204);
    }

    private void sso(boolean on) {
        policy(Map.of("ssoEnabled", on, "excludedUsers", List.of("ben@" + DOMAIN), "excludedGroup", "/sso-exceptions")).expect(200);
    }

    /** "Forgot password?" from the password page, then the address: the page Keycloak answers with. */
    private Browserless.Page requestReset(Browserless browser, String email) {
        Browserless.Page page = passwordInstead(browser, email);
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("href=\"([^\"]*login-actions/reset-credentials[^\"]*)\"").matcher(page.body());
        assertThat(link.find()).as("forgot-password link on %s", page.body()).isTrue();
        Browserless.Page form = browser.get(page.uri().resolve(link.group(1).replace("&amp;", "&")));
        return browser.follow(browser.submit(form, "username", Map.of("username", email)), TestRealm.CLIENT_REDIRECT);
    }

    /** Where the page's first form posts (for forms whose choices are buttons, which {@link Browserless#submit} does not read). */
    private static URI formAction(Browserless.Page page) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<form[^>]*action=\"([^\"]+)\"").matcher(page.body());
        assertThat(m.find()).as("a form on %s", page.uri()).isTrue();
        return page.uri().resolve(m.group(1).replace("&amp;", "&"));
    }

    private URI resetLink(String email, int before) throws InterruptedException {
        SmtpSink.Mail mail = smtp.await(m -> m.recipients().contains(email) && m.raw().contains("action-token") && smtp.count(email) > before);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(https?://\\S+action-token\\S+)").matcher(mail.part("text/plain"));
        assertThat(m.find()).isTrue();
        return URI.create(m.group(1));
    }

    @Test
    void resetPasswordSendsAnSsoUserNoLinkAndAnswersLikeForAnyAddress() throws Exception {
        smtp(true);
        try {
            Map<String, String> answers = new LinkedHashMap<>();
            for (String a : List.of("rita@" + DOMAIN, "new.hire@" + DOMAIN, "ben@" + DOMAIN)) {
                Browserless.Page sent = requestReset(newBrowser(), a);
                answers.put(a, sent.status() + " " + normalized(sent.body(), a));
            }
            assertThat(answers.get("rita@" + DOMAIN)).contains("You should receive an email");
            assertThat(answers.values()).as("%s", answers).allMatch(v -> v.equals(answers.get("new.hire@" + DOMAIN)));

            // the SSO user is told to reset the password with Microsoft, and gets no link; the excluded user gets a link
            SmtpSink.Mail info = smtp.await(m -> m.recipients().contains("rita@" + DOMAIN) && m.subject().contains("managed by Microsoft"));
            assertThat(info.subject()).contains("Your password is managed by Microsoft");
            assertThat(info.part("text/plain")).contains("passwordreset.microsoftonline.com");
            assertThat(info.raw()).doesNotContain("action-token");
            assertThat(smtp.await(m -> m.recipients().contains("ben@" + DOMAIN)).raw()).contains("action-token");
            assertThat(realm.events("SEND_RESET_PASSWORD_ERROR")).anySatisfy(e -> assertThat(e.path("error").asText()).isEqualTo("sso_required"));
        } finally {
            smtp(false);
        }
    }

    /**
     * A reset link sent while SSO was off is refused once SSO applies, in the browser that asked for
     * it (where Keycloak would go on to sign the user in) and in another one; with SSO off again it
     * works as Keycloak's and signs the user in.
     */
    @Test
    void aResetLinkSentBeforeSsoAppliedSetsNoPasswordAndSignsNobodyIn() throws Exception {
        String rita = "rita@" + DOMAIN;
        smtp(true);
        try {
            sso(false);
            Browserless asked = newBrowser();
            int before = smtp.count(rita);
            assertThat(requestReset(asked, rita).body()).contains("You should receive an email");
            URI link = resetLink(rita, before);
            sso(true);

            for (Browserless b : List.of(asked, newBrowser())) {
                Browserless.Page opened = b.follow(b.get(link), TestRealm.CLIENT_REDIRECT);
                assertThat(opened.isRedirect()).as("no redirect to the client: %s", opened.location()).isFalse();
                assertThat(opened.status()).isEqualTo(403);
                assertThat(opened.body()).contains("signs you in with Microsoft").doesNotContain("password-new");
                // no session either: the next sign-in starts at the email page
                assertThat(b.get(authorize()).body()).contains("name=\"username\"");
            }
            assertThat(directGrant(rita, "Brand-New-Passw0rd!").statusCode()).isEqualTo(400);

            // SSO off: the same link resets the password as usual and, in the browser that asked, signs rita in
            sso(false);
            Browserless.Page update = asked.follow(asked.get(link), TestRealm.CLIENT_REDIRECT);
            assertThat(update.body()).contains("password-new");
            Browserless.Page done = asked.follow(asked.submit(update, "password-new",
                    Map.of("password-new", "Brand-New-Passw0rd!", "password-confirm", "Brand-New-Passw0rd!")), TestRealm.CLIENT_REDIRECT);
            assertReachedClient(done);
            assertThat(directGrant(rita, "Brand-New-Passw0rd!").statusCode()).isEqualTo(200);
        } finally {
            sso(true);
            smtp(false);
        }
    }

    /**
     * First broker login: an Entra account whose email is not proven for the tenant claims an
     * existing SSO member's address. Keycloak offers to link it by re-entering that member's
     * password: refused while SSO applies (no link, no session), accepted with SSO off.
     */
    @Test
    void firstBrokerLoginDoesNotLinkAnSsoAccountByItsPassword() throws Exception {
        String finnId = realm.user("finn@" + DOMAIN).path("id").asText();
        tailspin.entraUser("finn", u -> u.surname("Entra").displayName("Finn Entra").emailVerified(false));
        Browserless browser = newBrowser();
        Browserless.Page form = browser.follow(browser.get(realm.authorizationRequest(stack.keycloak().baseUrl(), IDP, null)), sim.baseUrl());
        form = browser.get(form.next());
        Browserless.Page page = browser.follow(browser.submit(form, "loginfmt", Map.of("loginfmt", "finn@" + DOMAIN, "passwd", ENTRA_PASSWORD)),
                TestRealm.CLIENT_REDIRECT);
        for (int i = 0; i < 3 && !page.body().contains("name=\"password\""); i++) {
            assertThat(page.isRedirect()).as("not signed in: %s", page.location()).isFalse();
            page = page.body().contains("linkAccount")
                    ? browser.follow(browser.post(formAction(page), Map.of("submitAction", "linkAccount")), TestRealm.CLIENT_REDIRECT)
                    : browser.follow(browser.submit(page, "email", Map.of()), TestRealm.CLIENT_REDIRECT); // review profile as is
        }
        assertThat(page.body()).contains("name=\"password\"");
        Browserless.Page refused = browser.follow(browser.submit(page, "password", Map.of("username", "finn@" + DOMAIN,
                "password", LOCAL_PASSWORD)), TestRealm.CLIENT_REDIRECT);
        assertThat(refused.isRedirect()).as("must not be signed in").isFalse();
        assertThat(refused.body()).contains("signs in with Microsoft, so its password cannot confirm the link");
        assertThat(realm.federatedIdentities(finnId)).isEmpty();

        try {
            sso(false);
            Browserless.Page linked = browser.follow(browser.submit(refused, "password", Map.of("username", "finn@" + DOMAIN,
                    "password", LOCAL_PASSWORD)), TestRealm.CLIENT_REDIRECT);
            assertReachedClient(linked);
            assertThat(realm.federatedIdentities(finnId)).singleElement()
                    .satisfies(l -> assertThat(l.path("identityProvider").asText()).isEqualTo(IDP));
        } finally {
            sso(true);
        }
    }

    /**
     * A client's flow override to one of Keycloak's own flows is a way around SSO: the flow report
     * names it (and the realm's own bindings as guarded), and it really is one.
     */
    @Test
    void theFlowReportNamesABindingThatLetsAKeptPasswordPastSso() throws Exception {
        JsonNode report = admin.get("/" + REALM + "/sso-policy/flows");
        assertThat(report.path("unguarded").asInt()).as("%s", report).isZero();
        assertThat(report.path("bindings").findValuesAsText("flow")).contains("entra-pbx browser", "entra-pbx direct grant",
                "entra-pbx reset credentials", "entra-pbx first broker login");

        String keycloakDirectGrant = null;
        for (JsonNode f : admin.get("/" + REALM + "/authentication/flows")) {
            if (f.path("alias").asText().equals("direct grant")) {
                keycloakDirectGrant = f.path("id").asText();
            }
        }
        admin.send("POST", "/" + REALM + "/clients", Map.of("clientId", "legacy-app", "publicClient", true, "directAccessGrantsEnabled", true,
                "authenticationFlowBindingOverrides", Map.of("direct_grant", keycloakDirectGrant))).expect(201);
        String clientUuid = admin.get("/" + REALM + "/clients?clientId=legacy-app").get(0).path("id").asText();
        try {
            JsonNode holed = admin.get("/" + REALM + "/sso-policy/flows");
            assertThat(holed.path("unguarded").asInt()).isEqualTo(1);
            assertThat(holed.path("bindings")).anySatisfy(b -> {
                assertThat(b.path("usedBy").asText()).isEqualTo("client legacy-app (direct_grant override)");
                assertThat(b.path("guarded").asBoolean()).isFalse();
                assertThat(b.path("detail").asText()).contains("Password (direct grant)");
            });
            String form = "grant_type=password&client_id=legacy-app&username=" + Browserless.enc("amy@" + DOMAIN) + "&password="
                    + Browserless.enc(LOCAL_PASSWORD);
            HttpResponse<String> hole = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.keycloak().baseUrl()
                            + "/realms/" + REALM + "/protocol/openid-connect/token")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(hole.statusCode()).as("why the report matters: Keycloak's own flow takes the kept password").isEqualTo(200);
        } finally {
            admin.send("DELETE", "/" + REALM + "/clients/" + clientUuid, null).expect(204);
        }
    }

    @Test
    void unknownEmailOfACustomerDomainGoesToMicrosoft() {
        assertSentToMicrosoft(typeEmail(newBrowser(), "new.hire@" + DOMAIN), "new.hire@" + DOMAIN);
    }

    @Test
    void unknownEmailGetsTheSamePageAsAKnownLocalUser() {
        Browserless a = newBrowser();
        Browserless b = newBrowser();
        Browserless.Page unknown = typeEmail(a, "nobody@nowhere.example");
        Browserless.Page known = typeEmail(b, "local@elsewhere.example");
        assertPasswordPage(unknown, "nobody@nowhere.example");
        assertPasswordPage(known, "local@elsewhere.example");
        assertThat(normalized(unknown.body(), "nobody@nowhere.example")).isEqualTo(normalized(known.body(), "local@elsewhere.example"));

        Browserless.Page unknownWrong = password(a, unknown, "Wrong-Passw0rd!");
        Browserless.Page knownWrong = password(b, known, "Wrong-Passw0rd!");
        assertThat(unknownWrong.body()).contains("Invalid username or password.");
        assertThat(normalized(unknownWrong.body(), "nobody@nowhere.example"))
                .isEqualTo(normalized(knownWrong.body(), "local@elsewhere.example"));

        // and the known local user signs in with the right password
        Browserless c = newBrowser();
        assertReachedClient(password(c, typeEmail(c, "local@elsewhere.example"), LOCAL_PASSWORD));
    }

    /** The page without what differs by construction: the address typed and the per-session codes in URLs. */
    private static String normalized(String body, String email) {
        return body.replace(email, "EMAIL").replace(Browserless.enc(email), "EMAIL")
                .replaceAll("(session_code|execution|tab_id|client_data|code)=[^&\"]*", "$1=X")
                .replaceAll("checkAuthSession\\(\\s*\"[^\"]*\"", "checkAuthSession(X");
    }

    @Test
    void theLastEmailIsRememberedUntilNotYou() {
        Browserless browser = newBrowser();
        typeEmail(browser, "ben@" + DOMAIN);
        Browserless.Page again = browser.get(authorize());
        assertThat(again.body()).contains("value=\"ben@" + DOMAIN + "\"").contains("entrapbx-not-you");

        Browserless.Page forgotten = browser.submit(again, "username", Map.of("entraPbxForget", "1"));
        assertThat(forgotten.status()).isEqualTo(200);
        assertThat(forgotten.body()).doesNotContain("ben@" + DOMAIN).doesNotContain("entrapbx-not-you");
        assertThat(browser.get(authorize()).body()).doesNotContain("ben@" + DOMAIN);
    }

    @Test
    void policyChangesAreValidatedAndRecordedAsAdminEvents() {
        KeycloakAdminClient.Response bad = admin.send("PUT", "/" + REALM + "/sso-policy/organizations/" + ORG,
                Map.of("ssoEnabled", true, "excludedUsers", List.of("nobody@" + DOMAIN), "excludedGroup", "/no-such-group"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error_description").asText())
                .contains("Excluded user 'nobody@" + DOMAIN + "' does not exist")
                .contains("Excluded group '/no-such-group' does not exist");

        policy(Map.of("ssoEnabled", true, "excludedUsers", List.of("ben@" + DOMAIN, "local@elsewhere.example"),
                "excludedGroup", "/sso-exceptions")).expect(200);
        JsonNode saved = admin.get("/" + REALM + "/sso-policy/organizations/" + ORG);
        assertThat(saved.path("saved").asBoolean()).isTrue();
        String componentId = saved.path("id").asText();

        List<JsonNode> events = new ArrayList<>();
        admin.get("/" + REALM + "/admin-events?max=200").forEach(events::add);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.path("resourceType").asText()).isEqualTo("COMPONENT");
            assertThat(e.path("operationType").asText()).isEqualTo("UPDATE");
            assertThat(e.path("resourcePath").asText()).isEqualTo("components/" + componentId);
            assertThat(e.path("representation").asText()).contains("local@elsewhere.example");
        });

        // the console saves the same component through /components: validated the same way
        JsonNode component = admin.get("/" + REALM + "/components/" + componentId);
        Map<String, Object> edited = JSON.convertValue(component, Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) edited.get("config");
        config.put("excludedGroup", List.of("/typo"));
        KeycloakAdminClient.Response refused = admin.send("PUT", "/" + REALM + "/components/" + componentId, edited);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("Excluded group '/typo' does not exist");

        JsonNode decision = admin.get("/" + REALM + "/sso-policy/decision?user=" + Browserless.enc("cat@" + DOMAIN));
        assertThat(decision.path("signIn").asText()).isEqualTo("password");
        assertThat(decision.path("reason").asText()).isEqualTo("EXCLUDED_GROUP");
        assertThat(admin.get("/" + REALM + "/sso-policy/decision?user=" + Browserless.enc("amy@" + DOMAIN)).path("identityProvider").asText())
                .isEqualTo(IDP);
        policy(Map.of("ssoEnabled", true, "excludedUsers", List.of("ben@" + DOMAIN), "excludedGroup", "/sso-exceptions")).expect(200);
    }

    @Test
    void realmTemplatesUseTheEmailFirstFlows() {
        JsonNode demo = admin.get("/demo");
        assertThat(demo.path("browserFlow").asText()).isEqualTo("entra-pbx browser");
        assertThat(demo.path("directGrantFlow").asText()).isEqualTo("entra-pbx direct grant");
        assertThat(demo.path("resetCredentialsFlow").asText()).isEqualTo("entra-pbx reset credentials");
        assertThat(demo.path("firstBrokerLoginFlow").asText()).isEqualTo("entra-pbx first broker login");
    }

    @Test
    void ssoUserInARealBrowserLandsOnMicrosoftWithTheEmailFilledIn() throws Exception {
        ChromeDriver browser = HeadlessChromium.start(HeadlessChromium.serverCertificates(sim), 1280, 900);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            String account = stack.keycloak().baseUrl() + "/realms/" + REALM + "/account/";
            browser.get(account);
            wait.until(ExpectedConditions.elementToBeClickable(By.id("username"))).sendKeys("amy@" + DOMAIN);
            HeadlessChromium.screenshot(browser, "email-first-step");
            browser.findElement(By.id("kc-login")).click();
            wait.until(ExpectedConditions.urlContains(sim.baseUrl()));
            assertThat(browser.findElement(By.id("i0116")).getAttribute("value")).isEqualTo("amy@" + DOMAIN);
            browser.findElement(By.id("i0118")).sendKeys(ENTRA_PASSWORD);
            browser.findElement(By.cssSelector("form input[type=submit], form button[type=submit]")).click();
            try {
                wait.until(ExpectedConditions.urlContains(account));
                wait.until(d -> d.getPageSource().contains("Local User")); // amy's Keycloak name: the synced account, no new one
            } finally {
                HeadlessChromium.screenshot(browser, "email-first-signed-in");
            }

            // signed out (Keycloak's cookies gone), the address is still remembered; "Not you?" forgets it
            for (Cookie c : browser.manage().getCookies()) {
                if (!c.getName().equals("ENTRA_PBX_LAST_EMAIL")) {
                    browser.manage().deleteCookie(c);
                }
            }
            browser.get(account);
            WebElement notYou = wait.until(ExpectedConditions.elementToBeClickable(By.id("entrapbx-not-you")));
            assertThat(browser.findElement(By.id("username")).getAttribute("value")).isEqualTo("amy@" + DOMAIN);
            HeadlessChromium.screenshot(browser, "email-first-remembered");
            notYou.click();
            wait.until(d -> d.findElements(By.id("entrapbx-not-you")).isEmpty());
            assertThat(browser.findElement(By.id("username")).getAttribute("value")).isEmpty();
        } finally {
            browser.quit();
        }
    }
}
