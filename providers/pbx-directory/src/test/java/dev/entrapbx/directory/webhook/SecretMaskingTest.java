package dev.entrapbx.directory.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMaskingTest {

    private final String secret = Secrets.generate();
    private final String previous = Secrets.generate();

    private Webhook webhook(long previousUntil) {
        return new Webhook("w1", "r1", "o1", "https://pbx.example.com/h", "desc", true, null, null, 15, secret, previous, previousUntil,
                "https://kc.example.com/", 1L);
    }

    @Test
    void aWebhookNeverPrintsItsSecrets() {
        String s = webhook(10).toString();
        assertThat(s).doesNotContain(secret.substring(6)).doesNotContain(previous.substring(6)).contains("whsec_********");
    }

    @Test
    void representationsMaskTheSecretExceptTheOneAnswerThatCarriesIt() throws Exception {
        WebhookRepresentation full = new WebhookRepresentation("w1", "https://pbx.example.com/h", null, null, true, null, null, 15, secret, null,
                "2026-12-03T00:00:00Z", List.of());
        assertThat(full.toString()).doesNotContain(secret.substring(6));
        WebhookRepresentation masked = full.masked();
        assertThat(masked.secret()).isEqualTo("whsec_********");
        String json = new ObjectMapper().writeValueAsString(masked);
        assertThat(json).doesNotContain(secret.substring(6)).contains("\"secret\":\"whsec_********\"");
        assertThat(new ObjectMapper().writeValueAsString(full)).as("create and rotate answers carry it").contains(secret);
    }

    @Test
    void thePreviousSecretSignsOnlyDuringItsOverlap() {
        assertThat(webhook(1_000).signingSecrets(999)).containsExactly(secret, previous);
        assertThat(webhook(1_000).signingSecrets(1_000)).containsExactly(secret);
        assertThat(webhook(1_000).rotated("whsec_x", 0).signingSecrets(0)).containsExactly("whsec_x");
        Webhook rotated = webhook(0).rotated("whsec_new", 5_000);
        assertThat(rotated.previousSecret()).isEqualTo(secret);
        assertThat(rotated.signingSecrets(4_999)).containsExactly("whsec_new", secret);
    }

    @Test
    void messageIdsAreStablePerWebhookPhoneSystemAndSequence() {
        String id = Deliveries.messageId("w1", "o1", 7);
        assertThat(id).startsWith("msg_").hasSize(31).isEqualTo(Deliveries.messageId("w1", "o1", 7));
        assertThat(Deliveries.messageId("w1", "o1", 8)).isNotEqualTo(id);
        assertThat(Deliveries.messageId("w2", "o1", 7)).isNotEqualTo(id);
        assertThat(Deliveries.messageId("w1", "o2", 7)).isNotEqualTo(id);
    }
}
