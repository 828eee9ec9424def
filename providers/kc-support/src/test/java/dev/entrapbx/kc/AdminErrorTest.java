package dev.entrapbx.kc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminErrorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void oneShapeWithProblemsOnlyWhenThereAreAny() throws Exception {
        assertThat(JSON.writeValueAsString(new AdminError("not_found", "No run r1 of this sync", null)))
                .isEqualTo("{\"error\":\"not_found\",\"error_description\":\"No run r1 of this sync\"}");
        assertThat(JSON.writeValueAsString(new AdminError("invalid_brand", "a. b.", List.of("a.", "b."))))
                .isEqualTo("{\"error\":\"invalid_brand\",\"error_description\":\"a. b.\",\"problems\":[\"a.\",\"b.\"]}");
        assertThat(new AdminError("x", "y", List.of()).problems()).isNull();
    }
}
