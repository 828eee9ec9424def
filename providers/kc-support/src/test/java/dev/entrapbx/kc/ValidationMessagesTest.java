package dev.entrapbx.kc;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.MessageFormat;
import org.junit.jupiter.api.Test;

class ValidationMessagesTest {

    @Test
    void aLiteralFormatsBackToItselfQuotesAndBracesIncluded() {
        String message = "Excluded group '/it's {odd}' does not exist.";
        assertThat(MessageFormat.format(ValidationMessages.literal(message), new Object[0])).isEqualTo(message);
        assertThat(ValidationMessages.plain(ValidationMessages.literal(message))).isEqualTo(message);
        assertThat(ValidationMessages.plain("unbalanced { brace")).isEqualTo("unbalanced { brace");
    }
}
