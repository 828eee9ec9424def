package dev.entrapbx.directory.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignaturesTest {

    /** The Standard Webhooks specification's published test vector. */
    @Test
    void matchesTheStandardWebhooksReferenceVector() {
        String header = Signatures.header("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8), List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        assertThat(header).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    /**
     * A vector computed outside Java: {@code printf 'msg_2b3c.1700000000.<body>' | openssl dgst -sha256 -mac HMAC
     * -macopt hexkey:000102...1f -binary | base64}, with a non-ASCII body (signed as UTF-8 bytes).
     */
    @Test
    void matchesAnOpensslVectorWithANonAsciiBody() {
        String secret = "whsec_" + Base64.getEncoder().encodeToString(range32());
        assertThat(secret).isEqualTo("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        String header = Signatures.header("msg_2b3c", 1700000000L,
                "{\"type\":\"user.added\",\"data\":{\"x\":\"\u00e9\"}}".getBytes(StandardCharsets.UTF_8), List.of(secret));
        assertThat(header).isEqualTo("v1,Qzj0sC6tXR2ejqInyY0bITqSChvJQuYy0wEFsifupOE=");
    }

    @Test
    void duringARotationOverlapBothSecretsSignSpaceSeparatedNewFirst() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String fresh = Secrets.generate();
        String old = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String header = Signatures.header("msg_1", 5, body, List.of(fresh, old));
        String[] parts = header.split(" ");
        assertThat(parts).hasSize(2);
        assertThat(parts[0]).isEqualTo(Signatures.header("msg_1", 5, body, List.of(fresh)));
        assertThat(parts[1]).isEqualTo(Signatures.header("msg_1", 5, body, List.of(old)));
        assertThat(parts[0]).isNotEqualTo(parts[1]);
    }

    @Test
    void anyChangeOfIdTimestampOrBodyChangesTheSignature() {
        String s = Secrets.generate();
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String base = Signatures.header("msg_1", 100, body, List.of(s));
        assertThat(Signatures.header("msg_2", 100, body, List.of(s))).isNotEqualTo(base);
        assertThat(Signatures.header("msg_1", 101, body, List.of(s))).isNotEqualTo(base);
        assertThat(Signatures.header("msg_1", 100, "{\"a\":2}".getBytes(StandardCharsets.UTF_8), List.of(s))).isNotEqualTo(base);
    }

    @Test
    void generatedSecretsAreStandardWebhooksSecretsOf32RandomBytes() {
        String a = Secrets.generate();
        String b = Secrets.generate();
        assertThat(a).startsWith("whsec_").isNotEqualTo(b);
        assertThat(Secrets.key(a)).hasSize(32);
        assertThatThrownBy(() -> Secrets.key("whsec_c2hvcnQ=")).hasMessageContaining("24 to 64 bytes");
        assertThatThrownBy(() -> Secrets.key("whsec_not base64!")).hasMessageContaining("base64");
    }

    private static byte[] range32() {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) {
            b[i] = (byte) i;
        }
        return b;
    }
}
