package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entrapbx.harness.Browserless;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.Partner;
import dev.entrapbx.harness.Poll;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.model.User;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Customer onboarding by admin consent, end to end against the real Keycloak and the simulator's
 * admin-consent endpoint: the invitation makes a disabled Organization and a one-time link; the
 * customer's admin consents at Microsoft; on return the customer gets its identity provider (the
 * partner app restricted to its tenant), its user sync and a first full sync, and its people sign
 * in through Microsoft with extensions. Refused consent, personal accounts, expired and reused
 * links, a tenant taken by another Organization, domains the tenant does not own: a clear page, an
 * admin event, nothing made. Offboarding keeps or deletes the users.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnboardingIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    EntraPbxStack stack;
    KeycloakAdminClient admin;
    TestRealm realm;
    Partner partner;

    @BeforeAll
    void setUp(EntraPbxStack stack) {
        this.stack = stack;
        this.admin = stack.keycloak().admin();
        this.realm = TestRealm.create(admin, "onboarding-it");
        // a partner realm: branded pages, and the email-first login that sends a customer's people to its Microsoft 365
        admin.send("PUT", "/" + realm.name(), Map.of("loginTheme", "entra-pbx", "browserFlow", "entra-pbx browser",
                "firstBrokerLoginFlow", "entra-pbx first broker login")).expect(204);
        this.partner = Partner.create(stack, realm, "Northwind Cloud PBX", Map.of());
    }

    private Browserless browser() {
        return new Browserless(stack.simulator().sslContext());
    }

    private JsonNode invitation(String id) {
        return admin.get("/" + realm.name() + "/entra-onboarding/invitations/" + id);
    }

    private JsonNode organization(String id) {
        return admin.get("/" + realm.name() + "/organizations/" + id);
    }

    private List<JsonNode> onboardingEvents(String invitationId) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : realm.adminEvents()) {
            if ("ENTRA_ONBOARDING".equals(e.path("resourceType").asText()) && e.path("resourcePath").asText().contains(invitationId)) {
                try {
                    out.add(JSON.readTree(e.path("representation").asText("{}")));
                } catch (IOException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        return out;
    }

    /**
     * A person of a customer signs in as they do every day: the realm's login page, their email, and
     * the email-first step sends them to their organisation's Microsoft 365 (no hint from the app).
     */
    private JsonNode signInEmailFirst(String email) {
        Browserless b = browser();
        String kc = stack.keycloak().baseUrl();
        Browserless.Page login = b.get(URI.create(kc + "/realms/" + realm.name() + "/protocol/openid-connect/auth?client_id="
                + TestRealm.CLIENT_ID + "&response_type=code&scope=openid&redirect_uri=" + Browserless.enc(TestRealm.CLIENT_REDIRECT)));
        Browserless.Page atMicrosoft = b.follow(b.submit(login, "username", Map.of("username", email)), "\u0000");
        assertThat(atMicrosoft.uri().toString()).as("the email-first step sent %s to Microsoft", email).startsWith(stack.simulator().baseUrl());
        return Customer.atMicrosoft(stack, realm, b, atMicrosoft, email);
    }

    private void assertNothingMade(JsonNode inv) {
        assertThat(inv.path("status").asText()).isIn("PENDING", "EXPIRED");
        assertThat(organization(inv.path("organizationId").asText()).path("enabled").asBoolean()).isFalse();
        assertThat(admin.get("/" + realm.name() + "/organizations/" + inv.path("organizationId").asText() + "/identity-providers").size()).isZero();
        assertThat(admin.get("/" + realm.name() + "/components?type=org.keycloak.storage.UserStorageProvider").findValuesAsText("name"))
                .doesNotContain(inv.path("organizationAlias").asText() + "-users");
    }

    @Test
    void consentLinksTheCustomerItsPeopleSignInThroughMicrosoftAndGetExtensions() {
        String domain = "fabrikam-ob.example";
        // more than one Graph page (999 users): someone on the second signs in while the first is written
        String tid = Partner.customerTenant(stack, "Fabrikam Ltd", domain, 1000);
        JsonNode created = partner.tryInvite("Fabrikam Ltd", List.of(domain), "3000-4999", 3100L).expect(201).json();
        String id = created.path("id").asText();
        assertThat(created.path("link").asText()).startsWith(stack.keycloak().baseUrl() + "/realms/" + realm.name()
                + "/entra-onboarding/invitation/");
        assertThat(created.path("extensionRange").asText()).isEqualTo("3100-4999");
        assertThat(organization(created.path("organizationId").asText()).path("enabled").asBoolean()).as("disabled until consent").isFalse();
        assertThat(invitation(id).has("link")).as("the link is shown once").isFalse();

        // the invitation page says who invites and what will be granted
        Browserless browser = browser();
        Browserless.Page page = browser.get(URI.create(created.path("link").asText()));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Northwind Cloud PBX invites Fabrikam Ltd").contains("User.Read.All").contains("Continue to Microsoft");

        // Graph answers slowly, so that a person signs in through Microsoft while the first sync runs
        stack.simulator().faults().add(FaultRule.on("GET", "^/v1\\.0/users/delta").tenant(tid).untilCleared().latency(Duration.ofMillis(8000)));
        Browserless.Page end;
        String late;
        String lateId;
        Map<String, String> sent;
        try {
            end = partner.consent(browser, created.path("link").asText(), "admin@" + domain, true);
            assertThat(end.body()).contains("Fabrikam Ltd is connected");
            // Microsoft was asked with the v2.0 endpoint, .default, the invitation's state and the consented redirect URI
            sent = partner.directory().lastAuthorizeRequest(partner.appId()).orElseThrow();
            // once the first page is written (the run has read the accounts it may adopt), a person the sync has not
            // reached yet signs in through Microsoft: the partner app, the shared redirect URI
            JsonNode now = invitation(id);
            String runPath = "/" + realm.name() + "/entra-sync/" + now.path("userSync").asText() + "/runs/" + now.path("firstRun").asText();
            assertThat(Poll.until(Duration.ofSeconds(30), () -> admin.get(runPath).path("written").asInt() > 0)).isTrue();
            List<User> inDeltaOrder = new ArrayList<>(partner.directory().users(tid));
            java.util.Collections.reverse(inDeltaOrder); // id order: the last ones come on the second page
            late = inDeltaOrder.stream().filter(User::accountEnabled).filter(u -> !"Guest".equalsIgnoreCase(u.userType()))
                    .map(User::userPrincipalName).findFirst().orElseThrow();
            assertThat(realm.user(late.toLowerCase()).isMissingNode()).as("not imported yet").isTrue();
            partner.directory().updateUser(tid, late, b -> b.password(Customer.PASSWORD));
            JsonNode tokens = signInEmailFirst(late);
            assertThat(tokens.path("access_token").asText()).isNotBlank();
            lateId = realm.user(late.toLowerCase()).path("id").asText();
        } finally {
            stack.simulator().faults().clear();
        }
        assertThat(end.status()).as(end.body()).isEqualTo(200);
        assertThat(end.uri().getPath()).endsWith("/entra-onboarding/welcome");
        assertThat(end.body()).contains("Fabrikam Ltd is connected");
        assertThat(sent).containsEntry("scope", "https://graph.microsoft.com/.default")
                .containsEntry("redirect_uri", stack.keycloak().baseUrl() + "/realms/" + realm.name() + "/entra-onboarding/consented")
                .containsKey("state");

        JsonNode linked = invitation(id);
        assertThat(linked.path("status").asText()).isEqualTo("LINKED");
        assertThat(linked.path("tenantId").asText()).isEqualTo(tid);
        String orgId = linked.path("organizationId").asText();
        assertThat(organization(orgId).path("enabled").asBoolean()).isTrue();
        String idpAlias = linked.path("identityProvider").asText();
        JsonNode idp = admin.get("/" + realm.name() + "/identity-provider/instances/" + idpAlias);
        assertThat(idp.path("config").path("entraTenant").asText()).isEqualTo("organizations");
        assertThat(idp.path("config").path("entraAllowedTenants").asText()).isEqualTo(tid);
        assertThat(idp.path("config").path("entraSharedRedirect").asText()).isEqualTo("true");
        assertThat(idp.path("organizationId").asText()).isEqualTo(orgId);
        assertThat(idp.path("enabled").asBoolean()).as(idp.toString()).isTrue();

        // the first full sync: every person of the tenant, each with an extension from 3100 on
        String runId = linked.path("firstRun").asText();
        String sync = linked.path("userSync").asText();
        Optional<JsonNode> done = Poll.first(Duration.ofSeconds(90), () -> {
            JsonNode run = admin.get("/" + realm.name() + "/entra-sync/" + sync + "/runs/" + runId);
            return "RUNNING".equals(run.path("status").asText()) ? Optional.empty() : Optional.of(run);
        });
        assertThat(done).isPresent();
        assertThat(done.get().path("status").asText()).as(done.get().toString()).isEqualTo("SUCCESS");
        assertThat(done.get().path("adopted").asInt()).as("the person who signed in while the sync ran, adopted").isEqualTo(1);
        Customer fabrikam = Customer.existing(stack, realm, linked.path("organizationAlias").asText());
        Map<String, JsonNode> members = fabrikam.members();
        long people = partner.directory().users(tid).stream().filter(User::accountEnabled)
                .filter(u -> !"Guest".equalsIgnoreCase(u.userType())).count();
        assertThat(members).hasSize((int) people);
        List<String> extensions = Customer.extensions(members);
        assertThat(extensions).hasSize(members.size()).doesNotHaveDuplicates()
                .allSatisfy(x -> assertThat(Long.parseLong(x)).isBetween(3100L, 4999L));

        // the result page, reloaded, shows the numbers and the sign-in link
        Browserless.Page result = browser.get(end.uri());
        assertThat(result.body()).contains("People synced").contains(String.valueOf(members.size())).contains("Extensions given")
                .contains("/realms/" + realm.name() + "/account");

        // who signed in while the sync ran was adopted by it: the same account, synced, with an extension
        JsonNode adopted = realm.user(late.toLowerCase());
        assertThat(adopted.path("id").asText()).isEqualTo(lateId);
        assertThat(adopted.path("federationLink").asText()).isEqualTo(sync);
        assertThat(members).containsKey(late.toLowerCase());
        assertThat(Customer.attr(members.get(late.toLowerCase()), "extension")).isNotBlank();
        assertThat(realm.federatedIdentities(lateId)).hasSize(1);

        assertThat(onboardingEvents(id)).anySatisfy(e -> {
            assertThat(e.path("outcome").asText()).isEqualTo("linked");
            assertThat(e.path("tenant").asText()).isEqualTo(tid);
            assertThat(e.path("testConnection").asText()).isEqualTo("ok");
        });

        // the link works once
        Browserless.Page again = browser().get(URI.create(created.path("link").asText()));
        assertThat(again.body()).contains("This invitation was used already");

        // a second Organization consenting with the same tenant is refused, nothing made
        JsonNode second = partner.invite("Fabrikam Again", "fabrikam-again.example", null);
        Browserless.Page taken = partner.consent(browser(), second.path("link").asText(), "admin@" + domain, true);
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.body()).contains("connected already");
        assertNothingMade(invitation(second.path("id").asText()));
        assertThat(onboardingEvents(second.path("id").asText())).anySatisfy(e -> assertThat(e.path("reason").asText()).isEqualTo("tenant_taken"));

        // offboarding, keeping the users: IdP and sync gone, people and numbers stay, the tenant is free again
        KeycloakAdminClient.Response off = admin.send("POST", "/" + realm.name() + "/entra-onboarding/customers/" + orgId + "/offboard",
                Map.of("users", "keep"));
        assertThat(off.status()).as(off.body()).isEqualTo(200);
        assertThat(off.json().path("usersKept").asInt()).isEqualTo(members.size());
        assertThat(off.json().path("nextStep").asText()).contains("Enterprise applications").contains(partner.appId());
        assertThat(admin.send("GET", "/" + realm.name() + "/identity-provider/instances/" + idpAlias, null).status()).isEqualTo(404);
        assertThat(admin.send("GET", "/" + realm.name() + "/components/" + sync, null).status()).isEqualTo(404);
        assertThat(fabrikam.members()).hasSize(members.size());
        assertThat(Customer.extensions(fabrikam.members())).containsExactlyInAnyOrderElementsOf(extensions);
        assertThat(organization(orgId).path("enabled").asBoolean()).isFalse();
        assertThat(invitation(id).path("status").asText()).isEqualTo("OFFBOARDED");
    }

    @Test
    void refusedConsentAndPersonalAccountsGetAClearPageAndTheLinkStaysUsable() throws Exception {
        String domain = "contoso-ob.example";
        String tid = Partner.customerTenant(stack, "Contoso Refuses", domain, 3);
        JsonNode inv = partner.invite("Contoso Refuses", domain, null);
        String id = inv.path("id").asText();

        Browserless.Page refused = partner.consent(browser(), inv.path("link").asText(), "admin@" + domain, false);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("was not connected").contains("AADSTS65004");
        assertNothingMade(invitation(id));
        assertThat(partner.directory().isInstalled(partner.directory().requireApp(partner.appId()), tid)).isFalse();
        assertThat(onboardingEvents(id)).anySatisfy(e -> assertThat(e.path("reason").asText()).isEqualTo("consent_refused"));

        Browserless.Page personal = partner.consent(browser(), inv.path("link").asText(), "someone@outlook.com", true);
        assertThat(personal.status()).isEqualTo(400);
        assertThat(personal.body()).contains("personal Microsoft account");
        assertNothingMade(invitation(id));
        assertThat(onboardingEvents(id)).anySatisfy(e -> assertThat(e.path("reason").asText()).isEqualTo("personal_account"));

        // the same link, used properly now, works
        Browserless.Page ok = partner.consent(browser(), inv.path("link").asText(), "admin@" + domain, true);
        assertThat(ok.body()).contains("Contoso Refuses is connected");

        // operators see the outcomes on /metrics
        String metrics = metrics();
        assertThat(metrics).containsPattern("entrapbx_onboarding_returns_total\\{[^}]*outcome=\"consent_refused\"[^}]*realm=\"onboarding-it\"")
                .containsPattern("entrapbx_onboarding_returns_total\\{[^}]*outcome=\"personal_account\"")
                .containsPattern("entrapbx_onboarding_returns_total\\{[^}]*outcome=\"linked\"");
    }

    @Test
    void expiredAndUnknownLinksLookTheSameAndAConsentReturningAfterExpiryMakesNothing() throws Exception {
        String domain = "late-ob.example";
        Partner.customerTenant(stack, "Late Corp", domain, 2);
        JsonNode inv = partner.tryInvite("Late Corp", List.of(domain), null, null).expect(201).json();
        // an invitation that expires in a few seconds: the admin starts at Microsoft in time, comes back too late
        Map<String, Object> body = Map.of("name", "Late Corp Two", "domains", List.of("late-two-ob.example"),
                "expiresAt", Instant.now().plusSeconds(4).toString());
        JsonNode shortLived = admin.send("POST", "/" + realm.name() + "/entra-onboarding/invitations", body).expect(201).json();
        Browserless browser = browser();
        Browserless.Page invitationPage = browser.get(URI.create(shortLived.path("link").asText()));
        Browserless.Page atMicrosoft = browser.follow(Partner.continueToMicrosoft(browser, invitationPage), "\u0000");
        Browserless.Page consentPage = browser.submit(atMicrosoft, "loginfmt", Map.of("loginfmt", "admin@" + domain, "passwd", Customer.PASSWORD));
        Thread.sleep(5000);
        Browserless.Page late = browser.follow(browser.submit(consentPage, "ctx", Map.of("accept", "yes")), "\u0000");
        assertThat(late.status()).isEqualTo(404);
        assertThat(late.body()).contains("This invitation link cannot be used");
        assertNothingMade(invitation(shortLived.path("id").asText()));
        assertThat(invitation(shortLived.path("id").asText()).path("status").asText()).isEqualTo("EXPIRED");
        assertThat(onboardingEvents(shortLived.path("id").asText())).anySatisfy(e -> assertThat(e.path("reason").asText()).isEqualTo("expired"));

        // the expired link and a made-up one: same status, same page
        Browserless.Page expired = browser().get(URI.create(shortLived.path("link").asText()));
        String link = inv.path("link").asText();
        Browserless.Page unknown = browser().get(URI.create(link.substring(0, link.lastIndexOf('/') + 1) + "not-a-real-token-" + "x".repeat(20)));
        assertThat(expired.status()).isEqualTo(404).isEqualTo(unknown.status());
        assertThat(strip(expired.body())).isEqualTo(strip(unknown.body()));
    }

    @Test
    void aTenantThatDoesNotOwnTheInvitedDomainsIsRefusedAndNothingIsMade() {
        Partner.customerTenant(stack, "Wrong Tenant", "wrong-ob.example", 2);
        JsonNode inv = partner.invite("Right Corp", "right-ob.example", null);
        Browserless.Page page = partner.consent(browser(), inv.path("link").asText(), "admin@wrong-ob.example", true);
        assertThat(page.status()).isEqualTo(409);
        assertThat(page.body()).contains("does not own right-ob.example");
        assertNothingMade(invitation(inv.path("id").asText()));
        assertThat(onboardingEvents(inv.path("id").asText())).anySatisfy(e -> assertThat(e.path("reason").asText()).isEqualTo("domains_not_verified"));
    }

    @Test
    void aPartnerAppThatMayNotReadDomainsIsNamedToThePartnerAndNothingIsMade() {
        TestRealm other = TestRealm.create(admin, "onboarding-it-no-domains");
        admin.send("PUT", "/" + other.name(), Map.of("loginTheme", "entra-pbx")).expect(204);
        Partner lean = Partner.create(stack, other, "Lean PBX", Map.of());
        lean.directory().revokePermissions(lean.appId(), "Domain.Read.All"); // before any customer consents
        String domain = "lean-ob.example";
        Partner.customerTenant(stack, "Lean Customer", domain, 2);
        JsonNode inv = lean.invite("Lean Customer", domain, null);
        Browserless.Page page = lean.consent(browser(), inv.path("link").asText(), "admin@" + domain, true);
        // the customer's admin is told it is the provider's side; the provider sees which permission
        assertThat(page.status()).isEqualTo(503);
        assertThat(page.body()).contains("did not complete on your provider").doesNotContain("Domain.Read.All");
        JsonNode after = admin.get("/" + other.name() + "/entra-onboarding/invitations/" + inv.path("id").asText());
        assertThat(after.path("status").asText()).isEqualTo("PENDING");
        assertThat(after.path("detail").asText()).startsWith("permission_missing").contains("Domain.Read.All is not granted");
        assertThat(admin.get("/" + other.name() + "/organizations/" + inv.path("organizationId").asText() + "/identity-providers").size()).isZero();
    }

    @Test
    void invitationsAreValidatedAndOffboardingThatDeletesUsersAsksForTheCount() {
        KeycloakAdminClient.Response bad = partner.tryInvite("", List.of("not a domain"), "9000-100", null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("name is required").contains("is not a domain name").contains("Extension range");
        KeycloakAdminClient.Response outside = partner.tryInvite("X", List.of("x-ob.example"), "2000-2999", 5000L);
        assertThat(outside.body()).contains("startNumber 5000 is outside the extension range 2000-2999");
        KeycloakAdminClient.Response second = Partner.savePartnerApp(realm, Map.of("displayName", "Second", "clientId",
                "00000000-0000-0000-0000-000000000001", "clientSecret", "x"));
        assertThat(second.status()).isEqualTo(400);
        assertThat(second.body()).contains("has a partner app already");

        String domain = "gone-ob.example";
        Partner.customerTenant(stack, "Gone Corp", domain, 4);
        JsonNode inv = partner.invite("Gone Corp", domain, null);
        assertThat(partner.consent(browser(), inv.path("link").asText(), "admin@" + domain, true).body()).contains("is connected");
        JsonNode linked = invitation(inv.path("id").asText());
        String sync = linked.path("userSync").asText();
        Poll.until(Duration.ofSeconds(60), () -> !"RUNNING".equals(admin.get("/" + realm.name() + "/entra-sync/" + sync + "/runs/"
                + linked.path("firstRun").asText()).path("status").asText()));
        String orgId = linked.path("organizationId").asText();
        String path = "/" + realm.name() + "/entra-onboarding/customers/" + orgId + "/offboard";
        int synced = admin.get("/" + realm.name() + "/organizations/" + orgId + "/members").size();
        assertThat(synced).isPositive();
        KeycloakAdminClient.Response unconfirmed = admin.send("POST", path, Map.of("users", "delete"));
        assertThat(unconfirmed.status()).isEqualTo(409);
        assertThat(unconfirmed.body()).contains("confirm_deletion").contains("\\\"confirmDeletion\\\": " + synced);
        assertThat(admin.send("POST", path, Map.of("users", "delete", "confirmDeletion", synced + 1)).status()).isEqualTo(409);
        KeycloakAdminClient.Response deleted = admin.send("POST", path, Map.of("users", "delete", "confirmDeletion", synced));
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.json().path("usersDeleted").asInt()).isEqualTo(synced);
        assertThat(admin.get("/" + realm.name() + "/organizations/" + orgId + "/members").size()).isZero();
        Set<String> usernames = new HashSet<>(admin.get("/" + realm.name() + "/users?search=" + domain).findValuesAsText("username"));
        assertThat(usernames).isEmpty();
    }

    private String metrics() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var r = http.send(java.net.http.HttpRequest.newBuilder(URI.create(stack.keycloak().managementUrl() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static String strip(String html) {
        return html.replaceAll("(?s)<input type=\"hidden\"[^>]*>", "").replaceAll("nonce=\"[^\"]*\"", "");
    }
}
