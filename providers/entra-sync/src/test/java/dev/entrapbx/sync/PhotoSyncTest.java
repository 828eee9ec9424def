package dev.entrapbx.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.entrapbx.simulator.fault.FaultRule;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.sync.graph.SimulatedGraph;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the photo stage decides for each user, against the simulator (the database side is the
 * ITs'): only the types the photo endpoint serves are stored, and a batch Graph refuses costs
 * nothing but a per-user detour, with the batch's own error named when that fails too.
 */
class PhotoSyncTest {

    static SimulatedGraph graph;
    static List<User> users;

    @BeforeAll
    static void start() throws Exception {
        graph = SimulatedGraph.start("photosync.example");
        graph.sim().directory().generateUsers(graph.tenant(), 6, "photosync.example", "p");
        users = graph.sim().directory().users(graph.tenant());
        put(0, "image/png");
        put(1, "image/jpeg");
        put(2, "image/gif");
        put(3, "image/svg+xml");
        put(4, "image/webp");
    }

    @AfterAll
    static void stop() {
        graph.close();
    }

    @AfterEach
    void clear() {
        graph.sim().faults().clear();
    }

    private static void put(int user, String type) {
        graph.sim().directory().setPhoto(graph.tenant(), users.get(user).id(), (type + " bytes").getBytes(StandardCharsets.UTF_8), type);
    }

    private static PhotoSync.Target target(int user) {
        return new PhotoSync.Target(users.get(user).id(), "kc-" + user, "user" + user);
    }

    private static Map<PhotoSync.Target, PhotoSync.Outcome> check(Map<String, String> storedEtags) throws Exception {
        try (PhotoSync photos = new PhotoSync(null, "realm", "component", "org", graph.directory(), null, Clock.systemUTC())) {
            return photos.check(List.of(target(0), target(1), target(2), target(3), target(4), target(5)), storedEtags);
        }
    }

    @Test
    void onlyJpegPngAndGifAreStoredAnSvgIsAProblemNamingItsType() throws Exception {
        Map<PhotoSync.Target, PhotoSync.Outcome> out = check(Map.of());
        assertThat(((PhotoSync.Put) out.get(target(0))).info().contentType()).isEqualTo("image/png");
        assertThat(((PhotoSync.Put) out.get(target(1))).info().contentType()).isEqualTo("image/jpeg");
        assertThat(((PhotoSync.Put) out.get(target(2))).info().contentType()).isEqualTo("image/gif");
        assertThat(((PhotoSync.Put) out.get(target(0))).bytes()).asString(StandardCharsets.UTF_8).isEqualTo("image/png bytes");
        assertThat(out.get(target(3))).isInstanceOfSatisfying(PhotoSync.Unsupported.class,
                u -> assertThat(u.reason()).contains("image/svg+xml").contains("image/gif, image/jpeg, image/png"));
        assertThat(out.get(target(4))).isInstanceOfSatisfying(PhotoSync.Unsupported.class, u -> assertThat(u.reason()).contains("image/webp"));
        assertThat(out.get(target(5))).isInstanceOf(PhotoSync.Unchanged.class); // no photo, none stored
        assertThat(graph.requests("GET", "/v1\\.0/users/" + users.get(3).id() + "/photo/\\$value")).as("an SVG is not even downloaded").isZero();
    }

    @Test
    void aStoredPhotoThatBecameAnSvgIsNotKept() throws Exception {
        String svgEtag = graph.sim().directory().photo(graph.tenant(), users.get(3).id()).orElseThrow().etag();
        Map<PhotoSync.Target, PhotoSync.Outcome> out = check(Map.of(target(3).userId(), svgEtag));
        assertThat(out.get(target(3))).as("even with the same ETag (stored before the rule)").isInstanceOf(PhotoSync.Unsupported.class);
    }

    @Test
    void aRefusedBatchFallsBackToOneRequestPerUser() throws Exception {
        graph.sim().faults().add(FaultRule.on("POST", "^/v1\\.0/\\$batch").untilCleared().status(400, null));
        Map<PhotoSync.Target, PhotoSync.Outcome> out = check(Map.of());
        assertThat(out.get(target(0))).isInstanceOf(PhotoSync.Put.class);
        assertThat(out.get(target(2))).isInstanceOf(PhotoSync.Put.class);
        assertThat(out.get(target(3))).isInstanceOf(PhotoSync.Unsupported.class);
        assertThat(out.get(target(5))).isInstanceOf(PhotoSync.Unchanged.class);
    }

    @Test
    void whenTheFallbackFailsTooTheProblemNamesTheBatchsError() throws Exception {
        graph.sim().faults().add(FaultRule.on("POST", "^/v1\\.0/\\$batch").untilCleared().status(400, null));
        graph.sim().faults().add(FaultRule.on("GET", "/photo$").untilCleared().status(500, null));
        Map<PhotoSync.Target, PhotoSync.Outcome> out = check(Map.of());
        assertThat(out.values()).hasSize(6).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(PhotoSync.Failed.class, f -> {
            assertThat(f.status()).isEqualTo(500);
            assertThat(f.reason()).contains("Graph POST /$batch answered 400 generalException: The service failed to process the request.")
                    .contains("asked alone: Graph GET /users/{id}/photo answered 500").doesNotContain("no response for this user");
        }));
    }
}
