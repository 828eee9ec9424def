package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.simulator.notifications.NotificationService;
import dev.entrapbx.simulator.presence.PresenceState;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import dev.entrapbx.simulator.support.TestHttp;
import dev.entrapbx.simulator.support.WebhookReceiver;
import dev.entrapbx.simulator.tls.Certificates;
import dev.entrapbx.simulator.tls.TlsMaterial;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/** Change-notification subscriptions: handshake, deliveries, encryption, renewal, lifecycle, loss, users, faults. */
class SubscriptionsTest extends SimulatorTestSupport {
    private Fixture fx;
    private String token;
    private User ann;
    private User bob;
    private final List<WebhookReceiver> receivers = new ArrayList<>();

    @BeforeEach
    void seed() {
        fx = fixture("Subs", "User.Read.All", "Presence.Read.All", "Presence.ReadWrite.All");
        ann = user(fx, "ann");
        bob = user(fx, "bob");
        token = appToken(fx);
        settings("{\"appOnlyPresenceSubscriptions\":true,\"retryDelaysMs\":[100,100,100],\"validationTimeoutMs\":10000}");
    }

    @AfterEach
    void clear() {
        receivers.forEach(WebhookReceiver::close);
        sim.faults().clear();
        sim.notifications().reset();
    }

    private WebhookReceiver receiver() {
        WebhookReceiver r = WebhookReceiver.http();
        receivers.add(r);
        return r;
    }

    private static void settings(String json) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/_sim/notifications/settings"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private HttpResponse<String> subscribe(String json) {
        return PresenceTest.graphPost(token, "/v1.0/subscriptions", json);
    }

    private static String in(int minutes) {
        return Instant.now().plus(Duration.ofMinutes(minutes)).toString();
    }

    private String presenceBody(WebhookReceiver r, String resource, String extra) {
        return "{\"changeType\":\"updated\",\"notificationUrl\":\"" + r.url("/api/notify?tenant=x") + "\","
                + "\"lifecycleNotificationUrl\":\"" + r.url("/api/lifecycle") + "\",\"resource\":\"" + resource + "\","
                + "\"expirationDateTime\":\"" + in(50) + "\",\"clientState\":\"secret-state\"" + extra + "}";
    }

    private void setPresence(User u, String availability, String activity) {
        HttpResponse<String> r = PresenceTest.graphPost(token, "/v1.0/users/" + u.id() + "/presence/setPresence",
                "{\"sessionId\":\"" + fx.clientId() + "\",\"availability\":\"" + availability + "\",\"activity\":\""
                + activity + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void creationValidatesBothEndpointsWithTheDecodedToken() {
        WebhookReceiver r = receiver();
        HttpResponse<String> created = subscribe(presenceBody(r, "/communications/presences?$filter=id in ('" + ann.id()
                + "','" + bob.id() + "')", ""));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode s = TestHttp.json(created);
        assertThat(s.get("@odata.context").asText()).endsWith("/v1.0/$metadata#subscriptions/$entity");
        assertThat(s.get("id").asText()).isNotBlank();
        assertThat(s.get("applicationId").asText()).isEqualTo(fx.clientId());
        assertThat(s.get("clientState").asText()).isEqualTo("secret-state");
        assertThat(s.get("changeType").asText()).isEqualTo("updated");
        assertThat(s.get("latestSupportedTlsVersion").asText()).isEqualTo("v1_2");
        assertThat(r.validationTokens()).hasSize(2);
        assertThat(r.validationTokens().get(0)).startsWith("Validation: Testing client application reachability");

        JsonNode list = graphJson(token, "/v1.0/subscriptions");
        assertThat(list.get("value")).extracting(v -> v.get("id").asText()).containsExactly(s.get("id").asText());
        assertThat(graphJson(token, "/v1.0/subscriptions/" + s.get("id").asText()).get("resource").asText())
                .contains("communications/presences");
        // another app does not see it
        Fixture other = fixture("Other", "User.Read.All");
        assertThat(graphJson(appToken(other), "/v1.0/subscriptions").get("value")).isEmpty();
    }

    @Test
    void aDelegatedTokenMaySubscribeToPresenceAsDocumented() {
        settings("{\"appOnlyPresenceSubscriptions\":false}");
        dev.entrapbx.simulator.support.BrowserFlow browser = new dev.entrapbx.simulator.support.BrowserFlow(
                sim.sslContext(), sim.baseUrl());
        dev.entrapbx.simulator.support.BrowserFlow.Pkce pkce = dev.entrapbx.simulator.support.BrowserFlow.Pkce.create();
        java.util.Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("client_id", fx.clientId());
        p.put("response_type", "code");
        p.put("redirect_uri", fx.redirectUri());
        p.put("scope", "openid https://graph.microsoft.com/Presence.Read.All");
        p.put("state", "s");
        p.put("nonce", "n");
        p.put("code_challenge", pkce.challenge());
        p.put("code_challenge_method", "S256");
        p.put("prompt", "login");
        HttpResponse<String> form = browser.open(dev.entrapbx.simulator.support.BrowserFlow.authorizeUrl(sim.baseUrl(),
                fx.tenantId(), p));
        HttpResponse<String> done = browser.login(form, ann.userPrincipalName(), PASSWORD);
        String code = dev.entrapbx.simulator.support.BrowserFlow.redirectParams(done).get("code");
        HttpResponse<String> tokens = http.postForm(tokenEndpoint(fx.tenantId()), java.util.Map.of("grant_type",
                "authorization_code", "client_id", fx.clientId(), "client_secret", fx.secret(), "code", code,
                "redirect_uri", fx.redirectUri(), "code_verifier", pkce.verifier()));
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        String delegated = TestHttp.json(tokens).get("access_token").asText();
        WebhookReceiver r = receiver();
        HttpResponse<String> created = PresenceTest.graphPost(delegated, "/v1.0/subscriptions",
                presenceBody(r, "communications/presences/" + bob.id(), ""));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(TestHttp.json(created).get("creatorId").asText()).isEqualTo(ann.id());
        assertThat(subscribe(presenceBody(r, "communications/presences/" + bob.id(), "")).statusCode()).isEqualTo(403);
    }

    @Test
    void failedValidationRefusesTheSubscription() {
        settings("{\"validationTimeoutMs\":700}");
        for (WebhookReceiver.Validation v : new WebhookReceiver.Validation[] {WebhookReceiver.Validation.WRONG_BODY,
                WebhookReceiver.Validation.NOT_FOUND, WebhookReceiver.Validation.JSON_CONTENT_TYPE,
                WebhookReceiver.Validation.SLOW}) {
            WebhookReceiver r = receiver().validation(v);
            HttpResponse<String> refused = subscribe(presenceBody(r, "communications/presences/" + ann.id(), ""));
            assertThat(refused.statusCode()).as(v + ": " + refused.body()).isEqualTo(400);
            JsonNode error = TestHttp.json(refused).get("error");
            assertThat(error.get("code").asText()).isEqualTo("InvalidRequest");
            assertThat(error.get("message").asText()).startsWith("Subscription validation request failed.");
        }
        assertThat(sim.notifications().list()).isEmpty();
    }

    @Test
    void requestsOutsideTheDocumentedLimitsAreRefused() {
        WebhookReceiver r = receiver();
        settings("{\"appOnlyPresenceSubscriptions\":false}");
        HttpResponse<String> appOnly = subscribe(presenceBody(r, "communications/presences/" + ann.id(), ""));
        assertThat(appOnly.statusCode()).as(appOnly.body()).isEqualTo(403);
        settings("{\"appOnlyPresenceSubscriptions\":true}");
        String tooLong = presenceBody(r, "communications/presences/" + ann.id(), "").replaceFirst(
                "\"expirationDateTime\":\"[^\"]+\"", "\"expirationDateTime\":\"" + in(61 + 1) + "\"");
        assertThat(subscribe(tooLong).statusCode()).isEqualTo(400);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 651; i++) {
            ids.add("'" + UUID.randomUUID() + "'");
        }
        assertThat(subscribe(presenceBody(r, "/communications/presences?$filter=id in (" + String.join(",", ids) + ")", ""))
                .statusCode()).isEqualTo(400);
        assertThat(subscribe(presenceBody(r, "communications/presences/" + ann.id(), "").replace("http://127.0.0.1",
                "http://example.com")).statusCode()).isEqualTo(400);
        assertThat(subscribe(presenceBody(r, "communications/presences/" + ann.id(), "").replace("\"updated\"",
                "\"created\"")).statusCode()).isEqualTo(400);
        assertThat(subscribe(presenceBody(r, "communications/presences/" + ann.id(), ",\"includeResourceData\":true"))
                .statusCode()).isEqualTo(400);
        Fixture noUsers = fixture("NoUsers", "Presence.Read.All");
        HttpResponse<String> denied = PresenceTest.graphPost(appToken(noUsers), "/v1.0/subscriptions",
                "{\"changeType\":\"updated\",\"notificationUrl\":\"" + r.url("/n") + "\",\"resource\":\"users\","
                + "\"expirationDateTime\":\"" + in(60) + "\"}");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(r.validationTokens()).isEmpty();
    }

    @Test
    void presenceChangesAreDeliveredWithClientState() {
        WebhookReceiver r = receiver();
        String id = TestHttp.json(subscribe(presenceBody(r, "communications/presences/" + ann.id(), ""))).get("id").asText();
        setPresence(ann, "Busy", "InACall");
        setPresence(bob, "Busy", "InACall"); // not watched
        JsonNode body = r.next(5_000);
        assertThat(body).isNotNull();
        JsonNode n = body.get("value").get(0);
        assertThat(n.get("subscriptionId").asText()).isEqualTo(id);
        assertThat(n.get("clientState").asText()).isEqualTo("secret-state");
        assertThat(n.get("changeType").asText()).isEqualTo("updated");
        assertThat(n.get("tenantId").asText()).isEqualTo(fx.tenantId());
        assertThat(n.get("resource").asText()).isEqualTo("communications/presences/" + ann.id());
        assertThat(n.at("/resourceData/@odata.type").asText()).isEqualTo("#microsoft.graph.presence");
        assertThat(n.at("/resourceData/@odata.id").asText()).isEqualTo("users/" + ann.id() + "/presence");
        assertThat(n.get("subscriptionExpirationDateTime").asText()).isNotBlank();
        assertThat(n.has("encryptedContent")).isFalse();
        assertThat(r.next(500)).isNull();
    }

    @Test
    void richNotificationsDecryptWithTheDocumentedSteps() throws Exception {
        KeyPair keys = Certificates.rsaKeyPair();
        X509Certificate cert = Certificates.selfSigned(keys, "CN=webhook", Duration.ofDays(30));
        String certBase64 = Base64.getEncoder().encodeToString(cert.getEncoded());
        WebhookReceiver r = receiver();
        HttpResponse<String> created = subscribe(presenceBody(r, "communications/presences/" + ann.id(),
                ",\"includeResourceData\":true,\"encryptionCertificate\":\"" + certBase64
                + "\",\"encryptionCertificateId\":\"my-cert-1\""));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        sim.presence().setOwn(fx.tenantId(), ann.id(), new PresenceState("Available", "Available", "Away till 3", true), false);
        setPresence(ann, "Busy", "InAConferenceCall");
        JsonNode body = r.next(5_000);
        JsonNode first = body.get("value").get(0).get("encryptedContent");
        assertThat(first.get("encryptionCertificateId").asText()).isEqualTo("my-cert-1");
        assertThat(first.get("encryptionCertificateThumbprint").asText()).isEqualTo(
                HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(cert.getEncoded())));
        JsonNode second = r.next(5_000).get("value").get(0);
        JsonNode ec = second.get("encryptedContent");

        // 1-3: decrypt the symmetric key with the private key, OAEP
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA1AndMGF1Padding");
        rsa.init(Cipher.DECRYPT_MODE, keys.getPrivate());
        byte[] key = rsa.doFinal(Base64.getDecoder().decode(ec.get("dataKey").asText()));
        // 4: HMAC-SHA256 of data with the symmetric key must equal dataSignature
        byte[] data = Base64.getDecoder().decode(ec.get("data").asText());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        assertThat(Base64.getEncoder().encodeToString(mac.doFinal(data))).isEqualTo(ec.get("dataSignature").asText());
        // 5: AES, CBC, PKCS7, IV = the first 16 bytes of the key
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(key, 16)));
        JsonNode resource = Json.parse(new String(aes.doFinal(data), StandardCharsets.UTF_8));
        assertThat(resource.get("id").asText()).isEqualTo(ann.id());
        assertThat(resource.get("@odata.type").asText()).isEqualTo("#microsoft.graph.presence");
        assertThat(resource.get("availability").asText()).isEqualTo("Busy");
        assertThat(resource.get("activity").asText()).isEqualTo("InAConferenceCall");
        assertThat(resource.at("/outOfOfficeSettings/message").asText()).isEqualTo("Away till 3");

        // validationTokens: signed by the simulator, audience the app, appid the Graph publisher
        SignedJWT jwt = SignedJWT.parse(body.get("validationTokens").get(0).asText());
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(fx.clientId());
        assertThat(jwt.getJWTClaimsSet().getStringClaim("appid")).isEqualTo(NotificationService.PUBLISHER_APP_ID);
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("https://sts.windows.net/" + fx.tenantId() + "/");
        assertThat(jwt.verify(new RSASSAVerifier(sim.signingKeys().current().jwk()))).isTrue();
    }

    @Test
    void renewalDeletionAndExpiry() throws Exception {
        WebhookReceiver r = receiver();
        String id = TestHttp.json(subscribe(presenceBody(r, "communications/presences/" + ann.id(), ""))).get("id").asText();
        String renewed = in(59);
        HttpResponse<String> patched = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1.0/subscriptions/" + id))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"expirationDateTime\":\"" + renewed + "\"}")).build());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(Instant.parse(TestHttp.json(patched).get("expirationDateTime").asText())).isEqualTo(Instant.parse(renewed));
        HttpResponse<String> tooFar = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1.0/subscriptions/" + id))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"expirationDateTime\":\"" + in(120) + "\"}")).build());
        assertThat(tooFar.statusCode()).isEqualTo(400);
        HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1.0/subscriptions/" + id))
                .header("Authorization", "Bearer " + token).DELETE().build());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(graphGet(token, "/v1.0/subscriptions/" + id).statusCode()).isEqualTo(404);

        // a subscription whose expirationDateTime passed delivers nothing and is gone
        String shortBody = presenceBody(r, "communications/presences/" + ann.id(), "").replaceFirst(
                "\"expirationDateTime\":\"[^\"]+\"", "\"expirationDateTime\":\"" + Instant.now().plusMillis(1500) + "\"");
        String shortId = TestHttp.json(subscribe(shortBody)).get("id").asText();
        Thread.sleep(1_600);
        setPresence(ann, "Busy", "InACall");
        assertThat(r.next(700)).isNull();
        assertThat(graphGet(token, "/v1.0/subscriptions/" + shortId).statusCode()).isEqualTo(404);
    }

    @Test
    void lifecycleNotificationsAndLostSubscriptions() {
        WebhookReceiver r = receiver();
        String id = TestHttp.json(subscribe(presenceBody(r, "communications/presences/" + ann.id(), ""))).get("id").asText();
        String control = sim.baseUrl() + "/_sim/subscriptions/" + id;

        assertThat(http.postJson(control + ":lifecycle", "{\"lifecycleEvent\":\"missed\"}").statusCode()).isEqualTo(200);
        JsonNode missed = r.next(5_000).get("value").get(0);
        assertThat(missed.get("lifecycleEvent").asText()).isEqualTo("missed");
        assertThat(missed.get("subscriptionId").asText()).isEqualTo(id);
        assertThat(missed.get("clientState").asText()).isEqualTo("secret-state");
        assertThat(sim.notifications().get(id).get().deliveries()).anyMatch(d -> d.url().endsWith("/api/lifecycle"));

        // reauthorizationRequired with pause: nothing delivered until reauthorize
        http.postJson(control + ":lifecycle", "{\"lifecycleEvent\":\"reauthorizationRequired\",\"pause\":true}");
        assertThat(r.next(5_000).get("value").get(0).get("lifecycleEvent").asText()).isEqualTo("reauthorizationRequired");
        setPresence(ann, "Busy", "InACall");
        assertThat(r.next(500)).isNull();
        assertThat(PresenceTest.graphPost(token, "/v1.0/subscriptions/" + id + "/reauthorize", "").statusCode()).isEqualTo(204);
        setPresence(ann, "Away", "Away");
        assertThat(r.next(5_000).get("value").get(0).get("changeType").asText()).isEqualTo("updated");

        // lost silently: still listed, nothing delivered
        assertThat(http.postJson(control + ":lose", "{\"mode\":\"silent\"}").statusCode()).isEqualTo(200);
        setPresence(ann, "Busy", "InACall");
        assertThat(r.next(500)).isNull();
        assertThat(graphGet(token, "/v1.0/subscriptions/" + id).statusCode()).isEqualTo(200);

        // subscriptionRemoved: the lifecycle notification, then gone
        http.postJson(control + ":lose", "{\"mode\":\"removed\"}");
        assertThat(r.next(5_000).get("value").get(0).get("lifecycleEvent").asText()).isEqualTo("subscriptionRemoved");
        assertThat(graphGet(token, "/v1.0/subscriptions/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void deliveriesAreRetriedWhileTheEndpointFails() throws Exception {
        WebhookReceiver r = receiver();
        String id = TestHttp.json(subscribe(presenceBody(r, "communications/presences/" + ann.id(), ""))).get("id").asText();
        r.failNext(2);
        setPresence(ann, "Busy", "InACall");
        JsonNode body = r.next(5_000);
        assertThat(body).isNotNull();
        assertThat(r.posts()).isEqualTo(3);
        JsonNode detail = TestHttp.json(http.get(sim.baseUrl() + "/_sim/subscriptions/" + id));
        for (int i = 0; i < 50 && detail.get("delivered").asInt() == 0; i++) {
            Thread.sleep(20); // the receiver queues the body before it answers
            detail = TestHttp.json(http.get(sim.baseUrl() + "/_sim/subscriptions/" + id));
        }
        assertThat(detail.get("failedAttempts").asInt()).isEqualTo(2);
        assertThat(detail.get("delivered").asInt()).isEqualTo(1);
        // more failures than retries: dropped
        r.failNext(10);
        setPresence(ann, "Away", "Away");
        Thread.sleep(1_000);
        assertThat(r.next(200)).isNull();
        assertThat(TestHttp.json(http.get(sim.baseUrl() + "/_sim/subscriptions/" + id)).get("dropped").asInt()).isEqualTo(1);
    }

    @Test
    void aSlowEndpointCountsAsFailedAndGetsTheNotificationAgain() throws Exception {
        settings("{\"deliveryTimeoutMs\":300}");
        WebhookReceiver r = receiver();
        String id = TestHttp.json(subscribe(presenceBody(r, "communications/presences/" + ann.id(), ""))).get("id").asText();
        r.slowNext(1, 1_000);
        setPresence(ann, "Busy", "InACall");
        JsonNode first = r.next(5_000);
        JsonNode second = r.next(5_000);
        assertThat(first).isNotNull();
        assertThat(second).isEqualTo(first); // at-least-once: the slow receiver got it too
        List<dev.entrapbx.simulator.notifications.Subscription.Delivery> deliveries = sim.notifications().get(id).get()
                .deliveries();
        assertThat(deliveries).anyMatch(d -> "change".equals(d.kind()) && d.attempt() == 1 && d.error() != null);
        assertThat(deliveries).anyMatch(d -> "change".equals(d.kind()) && d.attempt() == 2 && d.status() == 202);
    }

    @Test
    void userChangesAreNotifiedOverHttps() {
        WebhookReceiver r = WebhookReceiver.https(TlsMaterial.loadOrCreate(CERT_DIR).serverContext());
        receivers.add(r);
        HttpResponse<String> created = subscribe("{\"changeType\":\"updated,deleted\",\"notificationUrl\":\""
                + r.url("/users-hook") + "\",\"resource\":\"users\",\"expirationDateTime\":\"" + in(40_000)
                + "\",\"clientState\":\"users-state\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        http.patchJson(sim.baseUrl() + "/_sim/tenants/" + fx.tenantId() + "/users/" + ann.id(), "{\"jobTitle\":\"Lead\"}");
        JsonNode updated = r.next(5_000).get("value").get(0);
        assertThat(updated.get("changeType").asText()).isEqualTo("updated");
        assertThat(updated.get("resource").asText()).isEqualTo("Users/" + ann.id());
        assertThat(updated.get("clientState").asText()).isEqualTo("users-state");
        assertThat(updated.at("/resourceData/@odata.type").asText()).isEqualTo("#Microsoft.Graph.User");
        assertThat(updated.at("/resourceData/id").asText()).isEqualTo(ann.id());
        http.delete(sim.baseUrl() + "/_sim/tenants/" + fx.tenantId() + "/users/" + bob.id());
        JsonNode deleted = r.next(5_000).get("value").get(0);
        assertThat(deleted.get("changeType").asText()).isEqualTo("deleted");
        assertThat(deleted.get("resource").asText()).isEqualTo("Users/" + bob.id());
        assertThat(subscribe("{\"changeType\":\"updated\",\"notificationUrl\":\"" + r.url("/users-hook")
                + "\",\"resource\":\"users\",\"expirationDateTime\":\"" + in(41_760 + 10) + "\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void faultsApplyToSubscriptionRequests() {
        sim.faults().add(FaultRule.on("POST", "^/v1\\.0/subscriptions$").times(1).throttle(3));
        WebhookReceiver r = receiver();
        HttpResponse<String> throttled = subscribe(presenceBody(r, "communications/presences/" + ann.id(), ""));
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("3");
        assertThat(r.validationTokens()).isEmpty();
        assertThat(subscribe(presenceBody(r, "communications/presences/" + ann.id(), "")).statusCode()).isEqualTo(201);
        assertThat(sim.requests().count("subscriptions")).isGreaterThanOrEqualTo(2);
    }
}
