package dev.entrapbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entrapbx.harness.Browserless;
import dev.entrapbx.harness.Customer;
import dev.entrapbx.harness.EntraPbxStack;
import dev.entrapbx.harness.KeycloakAdminClient;
import dev.entrapbx.harness.TestRealm;
import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.model.User;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Entra profile photos: downloaded by the sync only when Graph's ETag changed, served at
 * {@code /realms/{realm}/entra-photos/{userId}} with ETag/304 to the right bearer tokens, and
 * announced by the {@code picture} claim.
 */
@ExtendWith(SharedStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EntraPhotoIT {

    private static final String LOCAL_PASSWORD = "Passw0rd!-photo-local";
    private static final ObjectMapper JSON = new ObjectMapper();

    EntraPbxStack stack;
    KeycloakAdminClient admin;
    TestRealm realm;
    final HttpClient http = HttpClient.newHttpClient();
    // the current test's customer: Ann (red photo), Bob (blue photo), Cat (no photo)
    Customer f;
    String syncId;
    User ann;
    User bob;
    User cat;

    @BeforeAll
    void setUp(EntraPbxStack stack) {
        this.stack = stack;
        this.admin = stack.keycloak().admin();
        this.realm = TestRealm.create(admin, "photo-it");
    }

    /** A customer of its own per test, synced once, so the photo counts do not depend on test order. */
    private void customer(String name) {
        f = Customer.in(stack, realm, name).permissions(Customer.SYNC_PERMISSIONS).create();
        ann = f.entraUser("ann");
        bob = f.entraUser("bob");
        cat = f.entraUser("cat");
        f.directory().setPhoto(f.tenantId(), ann.id(), png(Color.RED), "image/png");
        f.directory().setPhoto(f.tenantId(), bob.id(), png(Color.BLUE), "image/png");
        syncId = f.createSync(name + "-sync", Map.of("extensionRange", "300-399"));
        f.sync(syncId, true);
    }

    private String userId(String localPart) {
        return f.user(localPart + "@" + f.domain()).path("id").asText();
    }

    @AfterEach
    void clearFaults() {
        stack.simulator().faults().clear();
    }

    @AfterAll
    void theRealmWithSyncedUsersPhotosAndRunsCanBeRemoved() {
        admin.send("DELETE", "/" + realm.name(), null).expect(204);
    }

    @Test
    void photosAreDownloadedOnlyWhenTheirETagChangesAndServedWithETagAnd304() throws Exception {
        customer("photos");
        assertThat(message(f.lastRun(syncId))).contains("Photos: 2 downloaded, 0 removed, 1 unchanged, 0 failed.");
        String annId = userId("ann");
        String bobId = userId("bob");
        String catId = userId("cat");
        String colleague = tokenOfLocalMember("desk");

        HttpResponse<byte[]> photo = get(annId, colleague, null);
        assertThat(photo.statusCode()).isEqualTo(200);
        assertThat(photo.body()).isEqualTo(png(Color.RED));
        assertThat(photo.headers().firstValue("Content-Type")).hasValue("image/png");
        String etag = photo.headers().firstValue("ETag").orElseThrow();
        assertThat(get(annId, colleague, etag).statusCode()).as("If-None-Match with the current ETag").isEqualTo(304);
        assertThat(get(catId, colleague, null).statusCode()).as("a user without a photo").isEqualTo(404);

        // nothing changed in Entra: the next full sync reads the metadata only, no photo bytes
        int downloads = downloads(ann) + downloads(bob);
        f.sync(syncId, true);
        assertThat(message(f.lastRun(syncId))).contains("Photos: 0 downloaded, 0 removed, 3 unchanged, 0 failed.");
        assertThat(downloads(ann) + downloads(bob)).isEqualTo(downloads);

        // Ann's photo changes, Bob's is removed in Entra
        f.directory().setPhoto(f.tenantId(), ann.id(), png(Color.GREEN), "image/png");
        f.directory().removePhoto(f.tenantId(), bob.id());
        f.sync(syncId, true);
        assertThat(message(f.lastRun(syncId))).contains("Photos: 1 downloaded, 1 removed, 1 unchanged, 0 failed.");
        HttpResponse<byte[]> changed = get(annId, colleague, etag);
        assertThat(changed.statusCode()).as("the old ETag no longer matches").isEqualTo(200);
        assertThat(changed.body()).isEqualTo(png(Color.GREEN));
        assertThat(changed.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);
        assertThat(get(bobId, colleague, null).statusCode()).isEqualTo(404);
    }

    @Test
    void onlyTheUserColleaguesAndUserViewersMayReadAPhoto() throws Exception {
        customer("photoauth");
        String annId = userId("ann");
        assertThat(get(annId, null, null).statusCode()).as("no token").isEqualTo(401);
        assertThat(get(annId, "not-a-token", null).statusCode()).as("a broken token").isEqualTo(401);
        assertThat(get(annId, tokenOfLocalMember("desk2"), null).statusCode()).as("a colleague").isEqualTo(200);
        realm.createUser("outsider", "outsider@elsewhere.example", true, LOCAL_PASSWORD);
        assertThat(get(annId, token("outsider"), null).statusCode()).as("not in Ann's organization").isEqualTo(404);

        String backend = realm.createUser("pbx-backend", "pbx-backend@partner.example", true, LOCAL_PASSWORD);
        String rm = admin.get("/" + realm.name() + "/clients?clientId=realm-management").get(0).path("id").asText();
        JsonNode viewUsers = admin.get("/" + realm.name() + "/clients/" + rm + "/roles/view-users");
        admin.send("POST", "/" + realm.name() + "/users/" + backend + "/role-mappings/clients/" + rm, List.of(viewUsers)).expect(204);
        assertThat(get(annId, token("pbx-backend"), null).statusCode()).as("realm-management view-users").isEqualTo(200);
    }

    @Test
    void thePictureClaimPointsAtTheSyncedPhotoAndTheUserCanFetchIt() throws Exception {
        customer("photoclaim");
        String client = admin.get("/" + realm.name() + "/clients?clientId=" + TestRealm.CLIENT_ID).get(0).path("id").asText();
        admin.send("POST", "/" + realm.name() + "/clients/" + client + "/protocol-mappers/models", Map.of(
                "name", "picture", "protocol", "openid-connect", "protocolMapper", "entra-photo-picture",
                "config", Map.of("id.token.claim", "true", "access.token.claim", "true", "userinfo.token.claim", "true"))).expect(201);
        try {
            String annId = userId("ann");
            JsonNode tokens = f.signInThroughMicrosoft("ann@" + f.domain());
            JsonNode idToken = claims(tokens.path("id_token").asText());
            assertThat(idToken.path("picture").asText())
                    .isEqualTo(stack.keycloak().baseUrl() + "/realms/" + realm.name() + "/entra-photos/" + annId);
            HttpResponse<byte[]> own = get(annId, tokens.path("access_token").asText(), null);
            assertThat(own.statusCode()).as("the user's own photo").isEqualTo(200);
            assertThat(own.body()).isEqualTo(png(Color.RED));

            JsonNode catTokens = f.signInThroughMicrosoft("cat@" + f.domain());
            assertThat(claims(catTokens.path("id_token").asText()).has("picture")).as("no photo, no claim").isFalse();
        } finally {
            for (JsonNode m : admin.get("/" + realm.name() + "/clients/" + client + "/protocol-mappers/models")) {
                if ("entra-photo-picture".equals(m.path("protocolMapper").asText())) {
                    admin.send("DELETE", "/" + realm.name() + "/clients/" + client + "/protocol-mappers/models/" + m.path("id").asText(), null);
                }
            }
        }
    }

    @Test
    void aPhotoGraphCannotDeliverIsAWarningAndTheUserIsStillSynced() {
        customer("photofault");
        f.directory().setPhoto(f.tenantId(), cat.id(), png(Color.ORANGE), "image/png");
        stack.simulator().faults().add(FaultRule.on("GET", "^/v1\\.0/users/" + cat.id() + "/photo").tenant(f.tenantId()).untilCleared()
                .status(500, null));
        f.directory().patchUser(f.tenantId(), cat.id(), Map.of("jobTitle", "Night shift"));
        JsonNode result = f.sync(syncId, false);
        assertThat(result.path("failed").asInt()).isZero();
        JsonNode run = f.lastRun(syncId);
        assertThat(run.path("status").asText()).isEqualTo("SUCCESS");
        assertThat(message(run)).contains("0 downloaded").contains("1 failed");
        assertThat(run.path("problems").toString()).contains("warning").contains("photo not updated");
        assertThat(Customer.attr(f.user("cat@" + f.domain()), "jobTitle")).isEqualTo("Night shift");

        stack.simulator().faults().clear();
        f.sync(syncId, true);
        assertThat(message(f.lastRun(syncId))).as("the next full sync catches up").contains("1 downloaded");
    }

    // ------------------------------------------------------------------ helpers

    private static String message(JsonNode run) {
        return run.path("message").asText();
    }

    private int downloads(User u) {
        return stack.simulator().requests().all("/v1.0/users/" + u.id() + "/photo/$value").size();
    }

    private HttpResponse<byte[]> get(String userId, String bearer, String ifNoneMatch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.keycloak().baseUrl() + "/realms/" + realm.name()
                + "/entra-photos/" + userId));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A local (password) user who is a member of the photos organization: a colleague. */
    private String tokenOfLocalMember(String name) throws Exception {
        f.localMember(name, name + "@" + f.domain(), LOCAL_PASSWORD);
        return token(name);
    }

    private String token(String username) throws Exception {
        String form = "grant_type=password&client_id=" + TestRealm.CLIENT_ID + "&scope=openid&username=" + Browserless.enc(username)
                + "&password=" + Browserless.enc(LOCAL_PASSWORD);
        HttpResponse<String> r = realm.tokenRequest(stack.keycloak().baseUrl(), form);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    private static JsonNode claims(String jwt) throws IOException {
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private static byte[] png(Color colour) {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 8; x++) {
            for (int y = 0; y < 8; y++) {
                img.setRGB(x, y, colour.getRGB());
            }
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
