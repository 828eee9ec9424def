package dev.entrapbx.harness;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.User;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A partner as customer onboarding needs it: its own simulator tenant with one multi-tenant app
 * (the redirect URIs of admin consent and of the realm's shared sign-in callback registered, the
 * sync's permissions listed), saved as the realm's "Microsoft 365 partner app"; then invitations,
 * customer tenants with an admin, and the customer admin's walk through the invitation link and
 * Microsoft's admin consent (without a browser). Used by ITs, benchmarks and {@code ./run}'s demo.
 */
public final class Partner {

    public static final String PAGE_PROVIDER_TYPE = "org.keycloak.services.ui.extend.UiPageProvider";
    public static final String PAGE_PROVIDER_ID = "Microsoft 365 partner app";
    /** What the partner app asks every customer for (the sync's needs). */
    public static final List<String> PERMISSIONS = List.of("User.Read.All", "GroupMember.Read.All", "Domain.Read.All", "Organization.Read.All",
            "ProfilePhoto.Read.All");

    private final EntraPbxStack stack;
    private final TestRealm realm;
    private final String tenantId;
    private final String appId;
    private final String secret;
    private final String componentId;

    private Partner(EntraPbxStack stack, TestRealm realm, String tenantId, String appId, String secret, String componentId) {
        this.stack = stack;
        this.realm = realm;
        this.tenantId = tenantId;
        this.appId = appId;
        this.secret = secret;
        this.componentId = componentId;
    }

    /** The partner's tenant and multi-tenant app, and the realm's partner app page saved with {@code settings} on top. */
    public static Partner create(EntraPbxStack stack, TestRealm realm, String displayName, Map<String, String> settings) {
        String domain = "partner-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        return ensure(stack, realm, UUID.randomUUID().toString(), domain, UUID.randomUUID().toString(), "partner-secret-" + UUID.randomUUID(),
                displayName, settings);
    }

    /**
     * The partner with these ids (the demo's, stable across restarts): its simulator tenant and app
     * made when missing, and the realm's partner app page saved when the realm has none.
     */
    public static Partner ensure(EntraPbxStack stack, TestRealm realm, String tenantId, String domain, String appId, String secret,
                                 String displayName, Map<String, String> settings) {
        Directory dir = stack.simulator().directory();
        if (dir.tenant(tenantId).isEmpty()) {
            dir.createTenant(tenantId, displayName + " (partner)", domain);
        }
        String base = stack.keycloak().baseUrl() + "/realms/" + realm.name();
        if (dir.app(appId).isEmpty()) {
            dir.createApp(tenantId, AppRegistration.builder().appId(appId).displayName(displayName).multiTenant()
                    .redirectUri(base + "/entra-onboarding/consented").redirectUri(base + "/entra-id/callback")
                    .permissions(PERMISSIONS).secret(secret, Instant.now().plus(365, ChronoUnit.DAYS)));
        }
        String id = partnerAppComponent(realm);
        if (id == null) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("displayName", displayName);
            config.put("clientId", appId);
            config.put("clientSecret", secret);
            config.put("entraAuthorityHostOverride", stack.simulator().baseUrl());
            config.putAll(settings);
            savePartnerApp(realm, config).expect(201);
            id = partnerAppComponent(realm);
        }
        return new Partner(stack, realm, tenantId, appId, secret, id);
    }

    private static String partnerAppComponent(TestRealm realm) {
        return realm.admin().get("/" + realm.name() + "/components?type=" + PAGE_PROVIDER_TYPE).findParents("providerId").stream()
                .filter(n -> PAGE_PROVIDER_ID.equals(n.path("providerId").asText())).map(n -> n.path("id").asText()).findFirst().orElse(null);
    }

    /** Saves a partner app page component; Keycloak's answer as it is. */
    public static KeycloakAdminClient.Response savePartnerApp(TestRealm realm, Map<String, String> config) {
        Map<String, List<String>> cfg = new LinkedHashMap<>();
        config.forEach((k, v) -> cfg.put(k, List.of(v)));
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("providerId", PAGE_PROVIDER_ID);
        rep.put("providerType", PAGE_PROVIDER_TYPE);
        rep.put("parentId", realm.admin().get("/" + realm.name()).path("id").asText());
        rep.put("config", cfg);
        return realm.admin().send("POST", "/" + realm.name() + "/components", rep);
    }

    public String tenantId() { return tenantId; }
    public String appId() { return appId; }
    public String secret() { return secret; }
    public String componentId() { return componentId; }
    public TestRealm realm() { return realm; }
    public Directory directory() { return stack.simulator().directory(); }

    /** {@code POST .../entra-onboarding/invitations}; Keycloak's answer as it is. */
    public KeycloakAdminClient.Response tryInvite(String name, List<String> domains, String extensionRange, Long startNumber) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("domains", domains);
        if (extensionRange != null) {
            body.put("extensionRange", extensionRange);
        }
        if (startNumber != null) {
            body.put("startNumber", startNumber);
        }
        return realm.admin().send("POST", "/" + realm.name() + "/entra-onboarding/invitations", body);
    }

    /** An invitation, expected to be created: its representation with the one-time {@code link}. */
    public JsonNode invite(String name, String domain, String extensionRange) {
        return tryInvite(name, List.of(domain), extensionRange, null).expect(201).json();
    }

    /** A customer's own tenant with {@code users} people (password {@link Customer#PASSWORD}) and its admin {@code admin@<domain>}. */
    public static String customerTenant(EntraPbxStack stack, String displayName, String domain, int users) {
        Directory dir = stack.simulator().directory();
        String tid = dir.createTenant(null, displayName, domain).id();
        dir.createUser(tid, User.builder().userPrincipalName("admin@" + domain).mail("admin@" + domain).givenName("Ada").surname("Admin")
                .displayName("Ada Admin").password(Customer.PASSWORD).emailVerified(true));
        if (users > 0) {
            dir.generateUsers(tid, users, domain, "person");
        }
        return tid;
    }

    /**
     * The customer's admin opens {@code link}, continues to Microsoft, signs in as {@code adminUpn}
     * and accepts ({@code accept}) or cancels: the last page, back at Keycloak (the result page
     * after a successful consent).
     */
    public Browserless.Page consent(Browserless browser, String link, String adminUpn, boolean accept) {
        Browserless.Page answer = toMicrosoftsAnswer(browser, link, adminUpn, accept);
        return answer.isRedirect() ? browser.follow(answer, "\u0000") : answer;
    }

    /**
     * {@link #consent} up to Microsoft's answer: the redirect back to Keycloak, not yet followed (or
     * the page that ended the walk earlier).
     */
    public Browserless.Page toMicrosoftsAnswer(Browserless browser, String link, String adminUpn, boolean accept) {
        Browserless.Page invitation = browser.get(URI.create(link));
        if (invitation.status() != 200) {
            return invitation;
        }
        Browserless.Page atMicrosoft = browser.follow(continueToMicrosoft(browser, invitation), "\u0000");
        if (!atMicrosoft.body().contains("loginfmt")) {
            return atMicrosoft;
        }
        Browserless.Page consentPage = browser.submit(atMicrosoft, "loginfmt", Map.of("loginfmt", adminUpn, "passwd", Customer.PASSWORD));
        if (consentPage.isRedirect()) {
            return consentPage;
        }
        return browser.submit(consentPage, "ctx", Map.of("accept", accept ? "yes" : "no"));
    }

    /** Presses "Continue to Microsoft" on the invitation page: the redirect to Microsoft's admin-consent endpoint. */
    public static Browserless.Page continueToMicrosoft(Browserless browser, Browserless.Page invitation) {
        return browser.post(URI.create(invitation.uri() + "/continue"), Map.of());
    }
}
