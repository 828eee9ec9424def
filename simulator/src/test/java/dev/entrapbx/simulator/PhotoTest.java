package dev.entrapbx.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.entrapbx.simulator.model.User;
import dev.entrapbx.simulator.support.SimulatorTestSupport;
import dev.entrapbx.simulator.support.TestHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

class PhotoTest extends SimulatorTestSupport {
    private static Fixture fx;
    private static String token;
    private static User withPhoto;
    private static User withoutPhoto;

    @BeforeAll
    static void seed() throws IOException {
        fx = fixture("Photos", "User.Read.All", "ProfilePhoto.Read.All");
        withPhoto = user(fx, "smile");
        withoutPhoto = user(fx, "shy");
        sim.directory().setPhoto(fx.tenantId(), withPhoto.id(), png(Color.BLUE), "image/png");
        token = appToken(fx);
    }

    static byte[] png(Color color) throws IOException {
        BufferedImage image = new BufferedImage(48, 48, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, 48, 48);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void metadataCarriesTheMediaEtagAndSize() {
        JsonNode meta = graphJson(token, "/v1.0/users/" + withPhoto.id() + "/photo");
        assertThat(meta.get("@odata.mediaContentType").asText()).isEqualTo("image/png");
        assertThat(meta.get("@odata.mediaEtag").asText()).startsWith("W/\"");
        assertThat(meta.get("width").asInt()).isEqualTo(48);
        assertThat(meta.get("id").asText()).isEqualTo("48X48");
    }

    @Test
    void valueReturnsTheBytesWithAnEtagAndHonoursIfNoneMatch() throws IOException {
        HttpResponse<byte[]> r = http.getBytes(sim.baseUrl() + "/v1.0/users/" + withPhoto.userPrincipalName()
                + "/photo/$value", "Authorization", "Bearer " + token);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(r.body()).isEqualTo(png(Color.BLUE));
        String etag = r.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).isEqualTo(graphJson(token, "/v1.0/users/" + withPhoto.id() + "/photo")
                .get("@odata.mediaEtag").asText());

        HttpResponse<byte[]> cached = http.getBytes(sim.baseUrl() + "/v1.0/users/" + withPhoto.id() + "/photo/$value",
                "Authorization", "Bearer " + token, "If-None-Match", etag);
        assertThat(cached.statusCode()).isEqualTo(304);
        assertThat(cached.body()).isEmpty();

        sim.directory().setPhoto(fx.tenantId(), withPhoto.id(), png(Color.RED), "image/png");
        HttpResponse<byte[]> changed = http.getBytes(sim.baseUrl() + "/v1.0/users/" + withPhoto.id() + "/photo/$value",
                "Authorization", "Bearer " + token, "If-None-Match", etag);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);
    }

    @Test
    void noPhotoIsImageNotFound() {
        for (String path : new String[] {"/photo", "/photo/$value"}) {
            HttpResponse<String> r = graphGet(token, "/v1.0/users/" + withoutPhoto.id() + path);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(TestHttp.json(r).at("/error/code").asText()).isEqualTo("ImageNotFound");
        }
        sim.directory().setPhoto(fx.tenantId(), withoutPhoto.id(), new byte[] {1, 2, 3}, "image/jpeg");
        assertThat(graphGet(token, "/v1.0/users/" + withoutPhoto.id() + "/photo/$value").statusCode()).isEqualTo(200);
        sim.directory().removePhoto(fx.tenantId(), withoutPhoto.id());
        assertThat(graphGet(token, "/v1.0/users/" + withoutPhoto.id() + "/photo/$value").statusCode()).isEqualTo(404);
    }
}
