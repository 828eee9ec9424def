package dev.entrapbx.harness;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.simulator.directory.Directory;
import dev.entrapbx.simulator.model.AppRegistration;
import dev.entrapbx.simulator.model.User;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * One customer of the partner, the fixture of the integration tests, the benchmarks and the demo:
 * an Entra tenant in the simulator with an app registration (client secret, Graph permissions), and
 * in a Keycloak realm that app's {@code entra-id} identity provider and an Organization with the
 * tenant's domain, linked to that IdP. Entra users, local members and {@code entra-users} sync
 * components are added with the helpers.
 *
 * <pre>{@code
 * Customer tailspin = Customer.in(stack, realm, "tailspin").permissions(Customer.SYNC_PERMISSIONS).create();
 * User ann = tailspin.entraUser("ann");
 * String sync = tailspin.createSync("tailspin-sync", Map.of("extensionRange", "200-299"));
 * tailspin.sync(sync, true);
 * }</pre>
 *
 * Defaults: domain {@code <name>.example}, a single-tenant app without Graph permissions, IdP
 * {@code <name>-entra} for the customer's tenant, Organization {@code <name>}.
 */
public final class Customer {

    /** Graph application permissions the user sync reads with. */
    public static final List<String> SYNC_PERMISSIONS = List.of("User.Read.All", "GroupMember.Read.All", "Domain.Read.All");
    /** Password of every Entra user created by {@link #entraUser}. */
    public static final String PASSWORD = "Entra-Passw0rd!";
    public static final String USER_STORAGE = "org.keycloak.storage.UserStorageProvider";

    private final EntraPbxStack stack;
    private final KeycloakAdminClient admin;
    private final TestRealm realm;
    private final String tenantId;
    private final String domain;
    private final String appId;
    private final String secret;
    private final String idpAlias;
    private final String orgId;
    private final String orgAlias;

    private Customer(EntraPbxStack stack, TestRealm realm, String tenantId, String domain, String appId, String secret,
                     String idpAlias, String orgId, String orgAlias) {
        this.stack = stack;
        this.admin = stack.keycloak().admin();
        this.realm = realm;
        this.tenantId = tenantId;
        this.domain = domain;
        this.appId = appId;
        this.secret = secret;
        this.idpAlias = idpAlias;
        this.orgId = orgId;
        this.orgAlias = orgAlias;
    }

    /** A new customer {@code name} (lower case, used in aliases and the domain) in {@code realm}. */
    public static Builder in(EntraPbxStack stack, TestRealm realm, String name) {
        return new Builder(stack, realm, name);
    }

    /**
     * A customer that a realm import and the simulator seed set up already (the demo's Contoso):
     * only the Organization is known, for its sync components.
     */
    public static Customer existing(EntraPbxStack stack, TestRealm realm, String orgAlias) {
        String orgId = null;
        for (JsonNode o : stack.keycloak().admin().get("/" + realm.name() + "/organizations?max=1000")) {
            if (orgAlias.equals(o.path("alias").asText())) {
                orgId = o.path("id").asText();
            }
        }
        if (orgId == null) {
            throw new IllegalStateException("No Organization '" + orgAlias + "' in realm " + realm.name());
        }
        return new Customer(stack, realm, null, null, null, null, null, orgId, orgAlias);
    }

    public static final class Builder {
        private final EntraPbxStack stack;
        private final TestRealm realm;
        private final String name;
        private String displayName;
        private String domain;
        private String idpAlias;
        private boolean multiTenant;
        private boolean idp = true;
        private boolean organization = true;
        private boolean hiddenOnLogin;
        private final List<String> permissions = new ArrayList<>();

        private Builder(EntraPbxStack stack, TestRealm realm, String name) {
            this.stack = Objects.requireNonNull(stack);
            this.realm = Objects.requireNonNull(realm);
            this.name = Objects.requireNonNull(name);
            this.displayName = name;
            this.domain = name + ".example";
            this.idpAlias = name + "-entra";
        }

        /** The tenant's and the Organization's display name (default: the name). */
        public Builder displayName(String displayName) { this.displayName = displayName; return this; }
        /** The tenant's verified domain and the Organization's domain (default {@code <name>.example}). */
        public Builder domain(String domain) { this.domain = domain; return this; }
        public Builder idpAlias(String idpAlias) { this.idpAlias = idpAlias; return this; }
        /** Graph application permissions granted to the app (admin consent given); none by default. */
        public Builder permissions(List<String> permissions) { this.permissions.addAll(permissions); return this; }
        public Builder permissions(String... permissions) { return permissions(List.of(permissions)); }
        /** The app registration admits other tenants' users (its own IdP still names this tenant). */
        public Builder multiTenantApp() { this.multiTenant = true; return this; }
        /** No identity provider (and so no Organization link): add IdPs with {@link Customer#idp}. */
        public Builder withoutIdp() { this.idp = false; return this; }
        public Builder withoutOrganization() { this.organization = false; return this; }
        /**
         * The IdP is hidden on the login page, as the console links an IdP to an Organization ("Hide on
         * login page", on by default there) and as one-click onboarding does: its people reach it
         * through the email step. By default it stays visible, as a plain admin REST link leaves it.
         */
        public Builder hiddenOnLogin() { this.hiddenOnLogin = true; return this; }

        public Customer create() {
            Directory dir = stack.simulator().directory();
            String tenantId = dir.createTenant(null, displayName, domain).id();
            String secret = name + "-secret-" + UUID.randomUUID();
            AppRegistration.Builder app = AppRegistration.builder()
                    .displayName("PBX " + displayName)
                    .permissions(permissions)
                    .secret(secret, Instant.now().plus(365, ChronoUnit.DAYS));
            if (multiTenant) {
                app.multiTenant();
            }
            if (idp) {
                app.redirectUri(redirectUri(stack, realm, idpAlias));
            }
            String appId = dir.createApp(tenantId, app).appId();
            if (idp) {
                realm.createIdp(idpAlias, entraIdpConfig(stack, appId, secret, tenantId)).expect(201);
            }
            String orgId = null;
            if (organization) {
                orgId = realm.createOrganization(displayName, name, domain, Map.of());
                if (idp) {
                    realm.linkOrganizationIdp(orgId, idpAlias);
                }
            }
            if (idp && hiddenOnLogin) {
                KeycloakAdminClient admin = stack.keycloak().admin();
                com.fasterxml.jackson.databind.node.ObjectNode rep = (com.fasterxml.jackson.databind.node.ObjectNode) admin.get(
                        "/" + realm.name() + "/identity-provider/instances/" + idpAlias);
                rep.put("hideOnLogin", true);
                admin.send("PUT", "/" + realm.name() + "/identity-provider/instances/" + idpAlias, rep).expect(204);
            }
            return new Customer(stack, realm, tenantId, domain, appId, secret, idp ? idpAlias : null, orgId,
                    organization ? name : null);
        }
    }

    private static String redirectUri(EntraPbxStack stack, TestRealm realm, String idpAlias) {
        return stack.keycloak().publicUrl() + "/realms/" + realm.name() + "/broker/" + idpAlias + "/endpoint";
    }

    /**
     * Signs {@code email} in through this customer's IdP (the simulator's login form, password
     * {@link #PASSWORD}) with the realm's public client {@value TestRealm#CLIENT_ID}, and exchanges the
     * code: the token endpoint's JSON (access, ID and refresh token).
     */
    public JsonNode signInThroughMicrosoft(String email) {
        return signInThroughMicrosoft(stack, realm, idpAlias, email);
    }

    /** {@link #signInThroughMicrosoft(String)} through any {@code entra-id} IdP of the realm. */
    public static JsonNode signInThroughMicrosoft(EntraPbxStack stack, TestRealm realm, String idpAlias, String email) {
        String keycloak = stack.keycloak().baseUrl();
        Browserless browser = new Browserless(stack.simulator().sslContext());
        Browserless.Page page = browser.follow(browser.get(realm.authorizationRequest(keycloak, idpAlias, email)), "\u0000");
        return atMicrosoft(stack, realm, browser, page, email);
    }

    /**
     * The rest of a sign-in once the browser is at Microsoft's login form: {@code email} signs in
     * (password {@link #PASSWORD}) and the client exchanges the code; the token endpoint's JSON.
     */
    public static JsonNode atMicrosoft(EntraPbxStack stack, TestRealm realm, Browserless browser, Browserless.Page page, String email) {
        String keycloak = stack.keycloak().baseUrl();
        Browserless.Page end = browser.follow(browser.submit(page, "loginfmt", Map.of("loginfmt", email, "passwd", PASSWORD)),
                TestRealm.CLIENT_REDIRECT);
        if (!end.isRedirect()) {
            throw new IllegalStateException("the sign-in of " + email + " did not come back to the client: " + end.body());
        }
        String code = Browserless.query(end.next()).get("code");
        var r = realm.tokenRequest(keycloak, "grant_type=authorization_code&client_id=" + TestRealm.CLIENT_ID + "&code=" + Browserless.enc(code)
                + "&redirect_uri=" + Browserless.enc(TestRealm.CLIENT_REDIRECT));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("code exchange for " + email + ": " + r.statusCode() + " " + r.body());
        }
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("code exchange for " + email + " answered no JSON: " + r.body(), e);
        }
    }

    public TestRealm realm() { return realm; }
    public String tenantId() { return tenantId; }
    public String domain() { return domain; }
    public String appId() { return appId; }
    public String secret() { return secret; }
    /** The customer's own IdP (null when created {@link Builder#withoutIdp}). */
    public String idpAlias() { return idpAlias; }
    public String orgId() { return orgId; }
    public String orgAlias() { return orgAlias; }
    public Directory directory() { return stack.simulator().directory(); }

    // ------------------------------------------------------------------ identity providers

    /**
     * A fresh copy of the {@code entra-id} configuration for this customer's app: client id and
     * secret, the customer's tenant, and the simulator as authority host.
     */
    public Map<String, String> idpConfig() {
        return entraIdpConfig(stack, appId, secret, tenantId);
    }

    private static Map<String, String> entraIdpConfig(EntraPbxStack stack, String appId, String secret, String tenantId) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("clientId", appId);
        c.put("clientSecret", secret);
        c.put("entraTenant", tenantId);
        c.put("entraAuthorityHostOverride", stack.simulator().baseUrl());
        return c;
    }

    /**
     * Saves one more {@code entra-id} IdP of this customer's app ({@link #idpConfig} with
     * {@code changes}) and registers its redirect URI with the app; Keycloak's answer as it is.
     */
    public KeycloakAdminClient.Response tryIdp(String alias, Map<String, String> changes) {
        Map<String, String> config = idpConfig();
        config.putAll(changes);
        addRedirectUri(alias);
        return realm.createIdp(alias, config);
    }

    /** {@link #tryIdp}, expecting it to be saved. */
    public void idp(String alias, Map<String, String> changes) {
        tryIdp(alias, changes).expect(201);
    }

    /** Changes settings of this customer's own IdP ({@link #idpAlias}), as the console's Save does; expects it saved. */
    public void updateIdp(Map<String, String> changes) {
        com.fasterxml.jackson.databind.node.ObjectNode idp = (com.fasterxml.jackson.databind.node.ObjectNode) admin.get(
                "/" + realm.name() + "/identity-provider/instances/" + idpAlias);
        com.fasterxml.jackson.databind.node.ObjectNode config = (com.fasterxml.jackson.databind.node.ObjectNode) idp.path("config");
        changes.forEach(config::put);
        admin.send("PUT", "/" + realm.name() + "/identity-provider/instances/" + idpAlias, idp).expect(204);
    }

    /** Lets the app redirect to the broker endpoint of IdP {@code alias} (any provider type). */
    public void addRedirectUri(String alias) {
        String uri = redirectUri(stack, realm, alias);
        if (!directory().requireApp(appId).hasRedirectUri(uri)) {
            directory().updateApp(appId, b -> b.redirectUri(uri));
        }
    }

    // ------------------------------------------------------------------ users

    /** An Entra user {@code <localPart>@<domain>} (UPN and mail), password {@link #PASSWORD}, email verified. */
    public User entraUser(String localPart) {
        return entraUser(localPart, u -> u);
    }

    /** {@link #entraUser(String)}, then a Graph PATCH of {@code patch} (job title, phones, ...) when not empty. */
    public User entraUser(String localPart, Map<String, Object> patch) {
        User u = entraUser(localPart);
        return patch.isEmpty() ? u : directory().patchUser(tenantId, u.id(), patch);
    }

    /** {@link #entraUser(String)} with the builder changed first (names, unverified email, ...). */
    public User entraUser(String localPart, UnaryOperator<User.Builder> change) {
        String address = localPart + "@" + domain;
        String given = Character.toUpperCase(localPart.charAt(0)) + localPart.substring(1);
        return directory().createUser(tenantId, change.apply(User.builder().userPrincipalName(address).mail(address)
                .givenName(given).surname("Tester").displayName(given + " Tester").password(PASSWORD).emailVerified(true)));
    }

    /** Entra users the sync imports by default: enabled members (the generator disables about 2%). */
    public int enabledEntraUsers() {
        return (int) directory().users(tenantId).stream().filter(u -> u.accountEnabled() && !"Guest".equals(u.userType())).count();
    }

    /** A local (password) Keycloak user who is a member of the Organization; returns its id. */
    public String localMember(String username, String email, String password) {
        String id = realm.createUser(username, email, true, password);
        realm.addOrganizationMember(orgId, id);
        return id;
    }

    /** The realm's user with exactly this username, or a missing node. */
    public JsonNode user(String username) {
        return realm.user(username);
    }

    /** Members of the Organization, by username, with attributes. */
    public Map<String, JsonNode> members() {
        Map<String, JsonNode> out = new HashMap<>();
        for (int first = 0; ; first += 500) {
            JsonNode page = admin.get("/" + realm.name() + "/organizations/" + orgId + "/members?first=" + first
                    + "&max=500&briefRepresentation=false");
            page.forEach(m -> out.put(m.path("username").asText(), m));
            if (page.size() < 500) {
                return out;
            }
        }
    }

    /** The first value of a user attribute, or null. */
    public static String attr(JsonNode user, String name) {
        JsonNode v = user.path("attributes").path(name);
        return v.isArray() && !v.isEmpty() ? v.get(0).asText() : null;
    }

    /** The {@code extension} attribute of each member that has one. */
    public static List<String> extensions(Map<String, JsonNode> members) {
        List<String> out = new ArrayList<>();
        members.values().forEach(u -> {
            String e = attr(u, "extension");
            if (e != null) {
                out.add(e);
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ the user sync

    /**
     * Saves an {@code entra-users} component for this Organization; Keycloak's answer as it is.
     * Values are split at {@code ##} into lists; empty ones are left out; {@code organization} may
     * be overridden.
     */
    /** Sync settings from key-value pairs, in order: {@code settings("syncPhotos", "false", "extensionRange", "1000-2999")}. */
    public static Map<String, String> settings(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("settings come in key-value pairs");
        }
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    public KeycloakAdminClient.Response tryCreateSync(String name, Map<String, String> config) {
        Map<String, List<String>> cfg = new LinkedHashMap<>();
        cfg.put("organization", List.of(orgAlias));
        config.forEach((k, v) -> cfg.put(k, List.of(v.split("##"))));
        cfg.values().removeIf(List::isEmpty);
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("name", name);
        rep.put("providerId", "entra-users");
        rep.put("providerType", USER_STORAGE);
        rep.put("parentId", admin.get("/" + realm.name()).path("id").asText());
        rep.put("config", cfg);
        return admin.send("POST", "/" + realm.name() + "/components", rep);
    }

    /** {@link #tryCreateSync}, expecting it to be saved; returns the component id. */
    public String createSync(String name, Map<String, String> config) {
        tryCreateSync(name, config).expect(201);
        return findSync(name);
    }

    /** The id of the realm's user-storage component {@code name}, or null. */
    public String findSync(String name) {
        for (JsonNode c : admin.get("/" + realm.name() + "/components?type=" + USER_STORAGE + "&name=" + Browserless.enc(name))) {
            return c.path("id").asText();
        }
        return null;
    }

    /** "Synchronize all users" (full) or "Synchronize changed users"; Keycloak's answer as it is. */
    public KeycloakAdminClient.Response trySync(String componentId, boolean full, Duration timeout) {
        return admin.send("POST", "/" + realm.name() + "/user-storage/" + componentId + "/sync?action="
                + (full ? "triggerFullSync" : "triggerChangedUsersSync"), null, timeout);
    }

    /** {@link #trySync}, expecting 200; returns Keycloak's result (added, updated, removed, failed). */
    public JsonNode sync(String componentId, boolean full) {
        return trySync(componentId, full, Duration.ofSeconds(60)).expect(200).json();
    }

    /** The newest {@code max} runs of the run log, newest first (counts and status). */
    public JsonNode runs(String componentId, int max) {
        return admin.get("/" + realm.name() + "/entra-sync/" + componentId + "/runs?max=" + max).path("runs");
    }

    /** The newest run of the run log, with up to 1000 problems. */
    public JsonNode lastRun(String componentId) {
        JsonNode runs = runs(componentId, 1);
        if (runs.size() != 1) {
            throw new AssertionError("expected one run in the run log of " + componentId + ", got " + runs);
        }
        return admin.get("/" + realm.name() + "/entra-sync/" + componentId + "/runs/" + runs.get(0).path("id").asText() + "?max=1000");
    }
}
