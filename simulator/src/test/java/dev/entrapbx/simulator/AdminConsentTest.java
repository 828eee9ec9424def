package dev.entrapbx.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.support.BrowserFlow;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import dev.entrapbx.simulator.support.TestHttp;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The v2.0 admin-consent endpoint and what a consent (or its absence) does to a multi-tenant app's tokens. */
class AdminConsentTest extends SimulatorTestSupport {

    private static final String REDIRECT = "https://partner.example/realms/p/entra-onboarding/consented";
    private static Fixture partner;
    private static Fixture customer;
    private static AppRegistration app;

    private BrowserFlow browser;

    @BeforeAll
    static void seed() {
        partner = fixture("Partner");
        customer = fixture("Customer");
        user(customer, "admin");
        app = sim.directory().createApp(partner.tenantId(), AppRegistration.builder().displayName("Partner PBX")
                .multiTenant().redirectUri(REDIRECT).permissions("User.Read.All", "Domain.Read.All")
                .secret("partner-secret", Instant.now().plus(30, ChronoUnit.DAYS)));
    }

    @BeforeEach
    void newBrowser() {
        browser = new BrowserFlow(sim.sslContext(), sim.baseUrl());
    }

    private HttpResponse<String> start(String tenant, String redirectUri, String state) {
        return browser.open(sim.baseUrl() + "/" + tenant + "/v2.0/adminconsent?client_id=" + app.appId()
                + "&scope=" + enc("https://graph.microsoft.com/.default") + "&redirect_uri=" + enc(redirectUri)
                + "&state=" + enc(state));
    }

    private HttpResponse<String> clientCredentials(String tenantId) {
        return http.postForm(tokenEndpoint(tenantId), Map.of("grant_type", "client_credentials", "client_id", app.appId(),
                "client_secret", "partner-secret", "scope", GRAPH_DEFAULT));
    }

    @Test
    void anAdminConsentsForTheWholeTenantAndTheAppThenGetsTokensThereWithTheGrantedPermissions() throws Exception {
        HttpResponse<String> before = clientCredentials(customer.tenantId());
        assertThat(before.statusCode()).isEqualTo(400);
        assertThat(TestHttp.json(before).get("error_codes").get(0).asInt()).isEqualTo(700016);

        HttpResponse<String> consentPage = browser.login(start("organizations", REDIRECT, "st-1"), "admin@" + customer.domain(), PASSWORD);
        assertThat(consentPage.body()).contains("Partner PBX").contains("User.Read.All").contains("Domain.Read.All");
        Map<String, String> fields = BrowserFlow.hiddenFields(consentPage.body());
        fields.put("accept", "yes");
        HttpResponse<String> back = browser.post(BrowserFlow.formAction(consentPage.body()), fields);
        assertThat(back.headers().firstValue("Location").orElseThrow()).startsWith(REDIRECT + "?");
        assertThat(BrowserFlow.redirectParams(back)).containsEntry("admin_consent", "True")
                .containsEntry("tenant", customer.tenantId()).containsEntry("state", "st-1")
                .containsEntry("scope", "https://graph.microsoft.com/.default");

        HttpResponse<String> after = clientCredentials(customer.tenantId());
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        List<String> roles = SignedJWT.parse(TestHttp.json(after).get("access_token").asText()).getJWTClaimsSet().getStringListClaim("roles");
        assertThat(roles).containsExactly("Domain.Read.All", "User.Read.All");

        // a permission added to the app later needs a new consent in the customer's tenant
        sim.directory().grantPermissions(app.appId(), "Contacts.Read");
        List<String> still = SignedJWT.parse(TestHttp.json(clientCredentials(customer.tenantId())).get("access_token").asText())
                .getJWTClaimsSet().getStringListClaim("roles");
        assertThat(still).doesNotContain("Contacts.Read");
        sim.directory().revokePermissions(app.appId(), "Contacts.Read");

        // the customer's admin deletes the enterprise app: tokens are refused again
        assertThat(sim.directory().revokeConsent(customer.tenantId(), app.appId())).isTrue();
        assertThat(clientCredentials(customer.tenantId()).statusCode()).isEqualTo(400);
    }

    @Test
    void cancellingSendsAccessDeniedWithAadsts65004AndGrantsNothing() {
        HttpResponse<String> consentPage = browser.login(start("organizations", REDIRECT, "st-2"), "admin@" + customer.domain(), PASSWORD);
        Map<String, String> fields = BrowserFlow.hiddenFields(consentPage.body());
        fields.put("accept", "no");
        Map<String, String> back = BrowserFlow.redirectParams(browser.post(BrowserFlow.formAction(consentPage.body()), fields));
        assertThat(back).containsEntry("error", "access_denied").containsEntry("state", "st-2").doesNotContainKey("tenant");
        assertThat(back.get("error_description")).startsWith("AADSTS65004: ");
        assertThat(sim.directory().isInstalled(app, customer.tenantId())).isFalse();
    }

    @Test
    void aPersonalMicrosoftAccountIsSentBackWithAadsts500200() {
        Map<String, String> back = BrowserFlow.redirectParams(browser.login(start("organizations", REDIRECT, "st-3"),
                "someone@outlook.com", "whatever"));
        assertThat(back).containsEntry("error", "invalid_request").containsEntry("state", "st-3");
        assertThat(back.get("error_description")).startsWith("AADSTS500200: ");
    }

    @Test
    void anUnregisteredRedirectUriIsAnErrorPageAtMicrosoftNotARedirect() {
        HttpResponse<String> r = start("organizations", "https://attacker.example/cb", "st-4");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.body()).contains("AADSTS50011");
        assertThat(start("common", REDIRECT, "st-5").body()).contains("cannot be used for admin consent");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
