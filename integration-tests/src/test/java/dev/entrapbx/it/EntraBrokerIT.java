package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.harness.Browserless;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.Poll;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.simulator.EntraSimulator;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.http.RecordedRequest;
import dev.entrapbx.simulator.identity.IdTokenDefect;
import dev.entrapbx.simulator.model.User;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Full authorization-code logins through Keycloak's "Microsoft Entra ID" provider against the
 * simulator, over HTTP: Keycloak -> simulator login form -> Keycloak -> client redirect.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EntraBrokerIT {

    static final String PASSWORD = "Passw0rd!-it";

    EntraPbxStack stack;
    EntraSimulator sim;
    Directory dir;
    TestRealm realm;
    Customer alpha;
    String tenantA;
    String tenantB;
    String appId;

    @BeforeAll
    void setUp(EntraPbxStack stack) {
        this.stack = stack;
        this.sim = stack.simulator();
        this.dir = sim.directory();
        realm = TestRealm.create(stack.keycloak().admin(), "broker-it");

        // customer Alpha: a multi-tenant app, its own IdP "alpha" for its tenant, and more IdPs of that app per test
        alpha = Customer.in(stack, realm, "alpha").displayName("Alpha Corp").multiTenantApp().idpAlias("alpha")
                .withoutOrganization().create();
        tenantA = alpha.tenantId();
        appId = alpha.appId();
        // Beta: another company's tenant, no customer of ours
        tenantB = dir.createTenant(null, "Beta Corp", "beta.example").id();
        dir.grantAdminConsent(tenantB, alpha.appId()); // Beta's admin consented to Alpha's multi-tenant app
        alpha.idp("multi", Map.of("entraTenant", "organizations", "entraAllowedTenants", tenantA + "##" + tenantB));
        alpha.idp("alpha-only", Map.of("entraTenant", "organizations", "entraAllowedTenants", tenantA));
        alpha.idp("by-domain", Map.of("entraTenant", "alpha.example"));
    }

    private User entraUser(String tenantId, String upn, String mail, boolean emailVerified) {
        return dir.createUser(tenantId, User.builder()
                .userPrincipalName(upn)
                .mail(mail)
                .givenName("Test")
                .surname(upn.substring(0, upn.indexOf('@')))
                .displayName("Test " + upn)
                .password(PASSWORD)
                .emailVerified(emailVerified));
    }

    /** Starts a login at Keycloak for {@code alias} and follows it to the simulator's login form. */
    private Browserless.Page startLogin(Browserless browser, String alias, String loginHint) {
        Browserless.Page page = toMicrosoft(browser, alias, loginHint);
        assertThat(page.body()).contains("loginfmt");
        return page;
    }

    /** Starts a login at Keycloak for {@code alias} and follows the redirects to the simulator's first page. */
    private Browserless.Page toMicrosoft(Browserless browser, String alias, String loginHint) {
        Browserless.Page page = browser.follow(
                browser.get(realm.authorizationRequest(stack.keycloak().baseUrl(), alias, loginHint)), "\u0000");
        assertThat(page.uri().toString()).as("should land on the simulator").startsWith(sim.baseUrl());
        return page;
    }

    /** Signs in on the simulator and follows back into Keycloak until the client redirect (or a page). */
    private Browserless.Page signIn(Browserless browser, Browserless.Page form, String username) {
        Browserless.Page afterForm = browser.submit(form, "loginfmt", Map.of("loginfmt", username, "passwd", PASSWORD));
        return browser.follow(afterForm, TestRealm.CLIENT_REDIRECT);
    }

    private Browserless newBrowser() {
        return new Browserless(sim.sslContext());
    }

    private static void assertReachedClientWithCode(Browserless.Page page) {
        assertThat(page.isRedirect()).as("expected a redirect to the client, got %s %s:%n%s", page.status(), page.uri(), page.body())
                .isTrue();
        assertThat(page.location()).startsWith(TestRealm.CLIENT_REDIRECT).contains("code=");
    }

    @Test
    void singleTenantLoginCreatesTheUserLinkedByObjectId() {
        User alice = entraUser(tenantA, "alice@alpha.example", "alice@alpha.example", true);
        Browserless browser = newBrowser();
        Browserless.Page end = signIn(browser, startLogin(browser, "alpha", null), "alice@alpha.example");
        assertReachedClientWithCode(end);

        JsonNode user = realm.user("alice@alpha.example");
        assertThat(user.path("email").asText()).isEqualTo("alice@alpha.example");
        assertThat(user.path("emailVerified").asBoolean()).isTrue();
        assertThat(realm.federatedIdentities(user.path("id").asText()))
                .singleElement()
                .satisfies(link -> {
                    assertThat(link.path("identityProvider").asText()).isEqualTo("alpha");
                    assertThat(link.path("userId").asText()).isEqualTo(alice.id());
                });
    }

    @Test
    void multiTenantAdmitsAnAllowedTenant() {
        entraUser(tenantB, "bert@beta.example", "bert@beta.example", true);
        Browserless browser = newBrowser();
        assertReachedClientWithCode(signIn(browser, startLogin(browser, "multi", null), "bert@beta.example"));
        assertThat(realm.user("bert@beta.example").path("id").isMissingNode()).isFalse();
    }

    @Test
    void tenantOutsideTheAllowListIsRefusedWithAClearPageAndEvent() {
        entraUser(tenantB, "carl@beta.example", "carl@beta.example", true);
        Browserless browser = newBrowser();
        Browserless.Page end = signIn(browser, startLogin(browser, "alpha-only", null), "carl@beta.example");

        assertThat(end.isRedirect()).isFalse();
        assertThat(end.body()).contains("Your organisation is not enabled for this service").doesNotContain("Exception");
        assertThat(realm.user("carl@beta.example").isMissingNode()).isTrue();
        assertThat(realm.events("IDENTITY_PROVIDER_LOGIN_ERROR"))
                .anySatisfy(e -> {
                    assertThat(e.path("details").path("reason").asText()).isEqualTo("tenant_not_allowed");
                    assertThat(e.path("details").path("entra_tid").asText()).isEqualTo(tenantB);
                });
    }

    @Test
    void singleTenantByVerifiedDomainResolvesTheTenant() {
        entraUser(tenantA, "dora@alpha.example", "dora@alpha.example", true);
        entraUser(tenantB, "dino@beta.example", "dino@beta.example", true);
        Browserless browser = newBrowser();
        assertReachedClientWithCode(signIn(browser, startLogin(browser, "by-domain", null), "dora@alpha.example"));

        // a Beta user cannot sign in through Alpha's single-tenant endpoint
        Browserless other = newBrowser();
        Browserless.Page refused = signIn(other, startLogin(other, "by-domain", null), "dino@beta.example");
        assertThat(refused.isRedirect() && refused.location().startsWith(TestRealm.CLIENT_REDIRECT)).isFalse();
        assertThat(realm.user("dino@beta.example").isMissingNode()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(IdTokenDefect.class)
    void defectiveIdTokensAreRefused(IdTokenDefect defect) {
        String upn = "t-" + defect.name().toLowerCase().replace('_', '-') + "@alpha.example";
        entraUser(tenantA, upn, upn, true);
        Browserless browser = newBrowser();
        Browserless.Page form = startLogin(browser, "multi", null);
        sim.tampering().nextIdTokens(appId, defect, 1);
        try {
            Browserless.Page end = signIn(browser, form, upn);
            assertThat(sim.tampering().pending(appId)).as("the defective token was issued").isZero();
            assertThat(end.uri().getPath()).as("refused by Keycloak after the code exchange")
                    .isEqualTo("/realms/" + realm.name() + "/broker/multi/endpoint");
            assertThat(end.isRedirect() && end.location().startsWith(TestRealm.CLIENT_REDIRECT))
                    .as("%s must not log in: %s %s", defect, end.status(), end.body()).isFalse();
            assertThat(end.status()).isGreaterThanOrEqualTo(400);
            assertThat(end.body()).as("a page that tells the user what happened")
                    .containsAnyOf("response from Microsoft was not valid", "not enabled for this service")
                    .doesNotContain("Exception").doesNotContain("at org.keycloak");
            assertThat(realm.events("IDENTITY_PROVIDER_LOGIN_ERROR"))
                    .anySatisfy(e -> assertThat(e.path("details").path("reason").asText()).isNotBlank());
            assertThat(realm.user(upn).isMissingNode()).as("no user created for %s", defect).isTrue();
        } finally {
            sim.tampering().clear();
        }
        // the same user signs in fine with an intact token
        Browserless again = newBrowser();
        assertReachedClientWithCode(signIn(again, startLogin(again, "multi", null), upn));
    }

    @Test
    void replayedStateAndCodeAreRefused() {
        entraUser(tenantA, "rita@alpha.example", "rita@alpha.example", true);
        Browserless browser = newBrowser();
        Browserless.Page form = startLogin(browser, "alpha", null);
        Browserless.Page backToKeycloak = browser.submit(form, "loginfmt", Map.of("loginfmt", "rita@alpha.example", "passwd", PASSWORD));
        assertThat(backToKeycloak.isRedirect()).isTrue();
        URI callback = backToKeycloak.next();
        assertThat(callback.toString()).contains("/broker/alpha/endpoint").contains("code=").contains("state=");
        assertReachedClientWithCode(browser.follow(browser.get(callback), TestRealm.CLIENT_REDIRECT));

        // the same callback again, in the same browser and in another one
        Browserless.Page replay = browser.follow(browser.get(callback), TestRealm.CLIENT_REDIRECT);
        assertThat(replay.isRedirect() && replay.location().startsWith(TestRealm.CLIENT_REDIRECT) && replay.location().contains("code="))
                .isFalse();
        Browserless.Page foreign = newBrowser().get(callback);
        assertThat(foreign.isRedirect() && foreign.location().startsWith(TestRealm.CLIENT_REDIRECT)).isFalse();
    }

    @Test
    void nOAuthUnverifiedEmailOfAnotherTenantDoesNotTakeOverTheAccount() {
        String victimId = realm.createUser("victim", "victim@alpha.example", true, "Victim-Passw0rd!");
        // Mallory controls tenant Beta and sets her mail to the victim's address: Entra does not prove it.
        entraUser(tenantB, "mallory@beta.example", "victim@alpha.example", false);
        Browserless browser = newBrowser();
        Browserless.Page end = signIn(browser, startLogin(browser, "multi", null), "mallory@beta.example");

        assertThat(end.isRedirect() && end.location().startsWith(TestRealm.CLIENT_REDIRECT))
                .as("must not be signed in: %s", end.body()).isFalse();
        assertThat(realm.federatedIdentities(victimId)).isEmpty();
        // Keycloak asks to prove ownership of the existing account instead
        assertThat(end.body()).containsAnyOf("Account already exists", "already exists");
    }

    @Test
    void verifiedEmailLinksTheExistingUserAutomatically() {
        String bobId = realm.createUser("bob.local", "bob@alpha.example", true, "Bob-Passw0rd!");
        User bob = entraUser(tenantA, "bob@alpha.example", "bob@alpha.example", true);
        Browserless browser = newBrowser();
        assertReachedClientWithCode(signIn(browser, startLogin(browser, "alpha", null), "bob@alpha.example"));

        assertThat(realm.federatedIdentities(bobId)).singleElement()
                .satisfies(link -> assertThat(link.path("userId").asText()).isEqualTo(bob.id()));
        assertThat(realm.user("bob@alpha.example").isMissingNode()).as("no second account").isTrue();
    }

    @Test
    void withoutXmsEdovAnEmailOnAVerifiedDomainOfTheTenantIsProvenThroughGraph() {
        String danId = realm.createUser("dan.local", "dan@alpha.example", true, "Dan-Passw0rd!");
        // no xms_edov in the token; the app may read the tenant's domains (Domain.Read.All)
        User dan = entraUser(tenantA, "dan@alpha.example", "dan@alpha.example", false);
        dir.grantPermissions(appId, "Domain.Read.All");
        try {
            Browserless browser = newBrowser();
            assertReachedClientWithCode(signIn(browser, startLogin(browser, "alpha", null), "dan@alpha.example"));
        } finally {
            dir.revokePermissions(appId, "Domain.Read.All");
        }
        assertThat(realm.federatedIdentities(danId)).singleElement()
                .satisfies(link -> assertThat(link.path("userId").asText()).isEqualTo(dan.id()));
        assertThat(sim.requests().last("/v1.0/domains")).as("Graph /domains was asked").isPresent();
    }

    @Test
    void autoLinkRespectsTheCustomerOrganization() {
        var admin = stack.keycloak().admin();
        String alphaOrg = createOrganization("Alpha customer", "alpha-customer.example");
        String otherOrg = createOrganization("Other customer", "other-customer.example");
        alpha.idp("org-alpha", Map.of());
        realm.linkOrganizationIdp(alphaOrg, "org-alpha");

        // a member of another customer's organization is not linked, even with a proven email
        String olgaId = realm.createUser("olga.local", "olga@alpha.example", true, "Olga-Passw0rd!");
        realm.addOrganizationMember(otherOrg, olgaId);
        entraUser(tenantA, "olga@alpha.example", "olga@alpha.example", true);
        Browserless browser = newBrowser();
        Browserless.Page end = signIn(browser, startLogin(browser, "org-alpha", null), "olga@alpha.example");
        assertThat(end.isRedirect() && end.location().startsWith(TestRealm.CLIENT_REDIRECT)).isFalse();
        assertThat(realm.federatedIdentities(olgaId)).isEmpty();

        // a user of no organization is linked and joins the IdP's organization
        String oscarId = realm.createUser("oscar.local", "oscar@alpha.example", true, "Oscar-Passw0rd!");
        entraUser(tenantA, "oscar@alpha.example", "oscar@alpha.example", true);
        Browserless second = newBrowser();
        assertReachedClientWithCode(signIn(second, startLogin(second, "org-alpha", null), "oscar@alpha.example"));
        assertThat(realm.federatedIdentities(oscarId)).hasSize(1);
        assertThat(admin.get("/" + realm.name() + "/organizations/" + alphaOrg + "/members").findValuesAsText("username"))
                .contains("oscar.local");
    }

    /**
     * An IdP that admits several tenants, linked to one customer's Organization through the
     * Organizations API (which saves the link without the IdP's own check): tenant B's users would
     * become members of that customer. Every sign-in through it is refused, and saving it is refused
     * with what to fix.
     */
    @Test
    void aMultiTenantIdpLinkedToAnOrganizationSignsNobodyInAndCannotBeSavedThatWay() {
        var admin = stack.keycloak().admin();
        alpha.idp("multi-linked", Map.of("entraTenant", "organizations", "entraAllowedTenants", tenantA + "##" + tenantB));
        String org = createOrganization("Shared customer", "shared-customer.example");
        realm.linkOrganizationIdp(org, "multi-linked");

        entraUser(tenantB, "tess@beta.example", "tess@beta.example", true);
        Browserless browser = newBrowser();
        Browserless.Page end = signIn(browser, startLogin(browser, "multi-linked", null), "tess@beta.example");
        assertThat(end.isRedirect()).as("not signed in").isFalse();
        assertThat(end.body()).contains("Your organisation is not enabled for this service");
        assertThat(realm.user("tess@beta.example").isMissingNode()).isTrue();
        assertThat(admin.get("/" + realm.name() + "/organizations/" + org + "/members").size()).isZero();
        assertThat(realm.events("IDENTITY_PROVIDER_LOGIN_ERROR"))
                .anySatisfy(e -> assertThat(e.path("details").path("reason").asText()).isEqualTo("organization_multi_tenant"));

        JsonNode rep = admin.get("/" + realm.name() + "/identity-provider/instances/multi-linked");
        var saved = admin.send("PUT", "/" + realm.name() + "/identity-provider/instances/multi-linked", rep);
        assertThat(saved.status()).isEqualTo(400);
        assertThat(saved.body()).contains("is linked to an Organization but admits");
    }

    private String createOrganization(String name, String domain) {
        return realm.createOrganization(name, name.toLowerCase().replace(' ', '-'), domain, Map.of());
    }

    @Test
    void loginHintAndDomainHintAreForwarded() {
        entraUser(tenantA, "hilda@alpha.example", "hilda@alpha.example", true);
        Browserless browser = newBrowser();
        Browserless.Page form = startLogin(browser, "alpha", "hilda@alpha.example");
        assertThat(form.body()).contains("hilda@alpha.example");
        Map<String, String> sent = dir.lastAuthorizeRequest(appId).orElseThrow();
        assertThat(sent).containsEntry("login_hint", "hilda@alpha.example")
                .containsEntry("domain_hint", "alpha.example")
                .containsEntry("code_challenge_method", "S256")
                .containsKey("nonce");
    }

    @Test
    void anExpiredSecretGivesAClearPageNotAGenericFailure() {
        alpha.idp("expired", Map.of("entraSecretExpiresOn", java.time.LocalDate.now().minusDays(1).toString()));
        entraUser(tenantA, "erin@alpha.example", "erin@alpha.example", true);
        Browserless browser = newBrowser();
        Browserless.Page end = signIn(browser, startLogin(browser, "expired", null), "erin@alpha.example");
        assertThat(end.body()).contains("needs to be renewed by your administrator");
        assertThat(realm.events("IDENTITY_PROVIDER_LOGIN_ERROR"))
                .anySatisfy(e -> assertThat(e.path("details").path("reason").asText()).isEqualTo("credential_expired"));
    }

    @Test
    void aSecretExpiringWithinThirtyDaysRaisesAnAdminEvent() {
        alpha.idp("expiring", Map.of("entraSecretExpiresOn", java.time.LocalDate.now().plusDays(12).toString()));
        // the check runs every 10 s in the test server (daily in production): poll for its event
        JsonNode found = Poll.first(Duration.ofSeconds(60), () -> {
            // (the resourceTypes filter only knows Keycloak's own types)
            for (JsonNode e : stack.keycloak().admin().get("/" + realm.name() + "/admin-events?max=500")) {
                if ("ENTRA_CREDENTIAL".equals(e.path("resourceType").asText()) && e.path("resourcePath").asText().endsWith("/expiring")) {
                    return Optional.of(e);
                }
            }
            return Optional.<JsonNode>empty();
        }).orElse(null);
        assertThat(found).as("admin event for the expiring secret").isNotNull();
        assertThat(found.path("details").path("state").asText()).isEqualTo("EXPIRING_SOON");
        assertThat(found.path("details").path("daysLeft").asInt()).isBetween(11, 12);
    }

    /** An IdP in certificate mode whose key pair Keycloak generates on save. */
    private void createCertificateIdp(String alias) {
        alpha.idp(alias, Map.of("entraCredentialType", "certificate", "clientSecret", "generate"));
    }

    @Test
    void certificateCredentialGeneratedByKeycloakSignsInOnceUploadedToEntra() {
        createCertificateIdp("cert");
        JsonNode idp = stack.keycloak().admin().get("/" + realm.name() + "/identity-provider/instances/cert");
        String pem = idp.path("config").path("entraCertificate").asText();
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(idp.path("config").path("clientSecret").asText()).as("private key never shown").isEqualTo("**********");
        assertThat(idp.toString()).doesNotContain("PRIVATE KEY");

        dir.addCertificatePem(appId, pem); // the admin uploads it under Certificates & secrets
        entraUser(tenantA, "cora@alpha.example", "cora@alpha.example", true);
        Browserless browser = newBrowser();
        assertReachedClientWithCode(signIn(browser, startLogin(browser, "cert", null), "cora@alpha.example"));
    }

    @Test
    void certificateNotUploadedToEntraIsRefused() {
        createCertificateIdp("cert-unknown");
        entraUser(tenantA, "cody@alpha.example", "cody@alpha.example", true);
        Browserless browser = newBrowser();
        Browserless.Page end = signIn(browser, startLogin(browser, "cert-unknown", null), "cody@alpha.example");
        assertThat(end.isRedirect() && end.location().startsWith(TestRealm.CLIENT_REDIRECT)).isFalse();
        assertThat(realm.user("cody@alpha.example").isMissingNode()).isTrue();
    }

    @Test
    void aVaultReferenceAsSecretIsResolvedAndAMissingEntryIsReportedAsSuch() throws Exception {
        // Keycloak's file vault: file <realm>_<key> holds ${vault.<key>}
        java.nio.file.Files.writeString(stack.keycloak().home().vaultDir().resolve(realm.name() + "_entra-it-secret"), alpha.secret());
        alpha.idp("vault", Map.of("clientSecret", "${vault.entra-it-secret}"));
        assertThat(stack.keycloak().admin().get("/" + realm.name() + "/identity-provider/instances/vault")
                .path("config").path("clientSecret").asText()).as("a vault reference is shown as such").isEqualTo("${vault.entra-it-secret}");
        entraUser(tenantA, "vera@alpha.example", "vera@alpha.example", true);
        Browserless browser = newBrowser();
        assertReachedClientWithCode(signIn(browser, startLogin(browser, "vault", null), "vera@alpha.example"));

        alpha.idp("vault-missing", Map.of("clientSecret", "${vault.no-such-entry}"));
        Browserless other = newBrowser();
        Browserless.Page end = signIn(other, startLogin(other, "vault-missing", null), "vera@alpha.example");
        assertThat(end.body()).contains("not set up correctly");
        assertThat(realm.events("IDENTITY_PROVIDER_LOGIN_ERROR"))
                .anySatisfy(e -> assertThat(e.path("details").path("reason").asText()).isEqualTo("credential_invalid"));
    }

    @Test
    void signingKeyRotationAtMicrosoftDoesNotBreakSignIn() {
        entraUser(tenantA, "kurt@alpha.example", "kurt@alpha.example", true);
        Browserless first = newBrowser();
        assertReachedClientWithCode(signIn(first, startLogin(first, "alpha", null), "kurt@alpha.example"));
        // Entra rolls its signing key (the old one stays published for a while, as Entra does).
        sim.rotateSigningKey(true);
        // Keycloak has the old key cached and re-fetches the JWKS on the unknown kid, but only once its
        // min-time-between-requests (2 s on the test server, 10 s by default) has passed since its last fetch.
        // That interval is Keycloak's rule, not a state Keycloak reports: the condition polled is "the
        // interval has passed since the last fetch of tenant A's JWKS the simulator saw" (Keycloak counts in
        // whole seconds from just before its request, hence the extra second). Usually it passed long ago.
        Instant lastFetch = sim.requests().last("/" + tenantA + "/discovery/v2.0/keys")
                .map(RecordedRequest::receivedAt).orElse(Instant.now());
        Instant refetchAllowed = lastFetch.truncatedTo(ChronoUnit.SECONDS).plusSeconds(SharedStack.JWKS_MIN_SECONDS_BETWEEN_FETCHES + 1);
        assertThat(Poll.until(Duration.ofSeconds(SharedStack.JWKS_MIN_SECONDS_BETWEEN_FETCHES + 5),
                () -> !Instant.now().isBefore(refetchAllowed))).as("Keycloak may fetch the JWKS again").isTrue();
        Browserless second = newBrowser();
        assertReachedClientWithCode(signIn(second, startLogin(second, "alpha", null), "kurt@alpha.example"));
    }

    @Test
    void accountPickerIsRequestedWhenConfigured() {
        alpha.idp("picker", Map.of("entraSelectAccount", "true"));
        Browserless.Page page = toMicrosoft(newBrowser(), "picker", null);
        assertThat(dir.lastAuthorizeRequest(appId).orElseThrow()).containsEntry("prompt", "select_account");
        assertThat(page.body()).contains("Pick an account");
    }

    @Test
    void invalidConfigurationIsRefusedAtSaveWithGuidance() {
        var r = alpha.tryIdp("bad-guid", Map.of("entraTenant", "6f1e2d3c-4b5a-4978-8a1b-2c3d4e5f6a7"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("errorMessage").asText()).contains("is not a valid GUID");

        r = alpha.tryIdp("no-allow-list", Map.of("entraTenant", "organizations"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("errorMessage").asText()).contains("needs the allowed tenant IDs");

        r = alpha.tryIdp("bad-cert", Map.of("entraCredentialType", "certificate",
                "entraCertificate", "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("errorMessage").asText()).contains("not a PEM-encoded X.509 certificate");

        r = alpha.tryIdp("skewed", Map.of("allowedClockSkew", "86400"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("errorMessage").asText()).contains("Allowed clock skew must be between 0 and 300");

        alpha.idp("no-nonce", Map.of("disableNonce", "true"));
        assertThat(stack.keycloak().admin().get("/" + realm.name() + "/identity-provider/instances/no-nonce").path("config")
                .path("disableNonce").asText("false")).as("nonce checking cannot be switched off").isEqualTo("false");
    }
}
