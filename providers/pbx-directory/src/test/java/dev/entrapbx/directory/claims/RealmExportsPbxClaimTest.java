package dev.entrapbx.directory.claims;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped realms (demo, partner template) give client pbx-web the pbx-extension mapper in all three tokens. */
class RealmExportsPbxClaimTest {

    private static final Path EXPORTS = Path.of("../../realm-exports");

    @ParameterizedTest
    @ValueSource(strings = {"demo-realm.json", "partner-realm-template.json"})
    void pbxWebHasThePbxExtensionMapperInIdAccessAndUserinfoTokens(String file) throws Exception {
        JsonNode realm = new ObjectMapper().readTree(Files.readString(EXPORTS.resolve(file)));
        List<JsonNode> mappers = new ArrayList<>();
        for (JsonNode client : realm.path("clients")) {
            if ("pbx-web".equals(client.path("clientId").asText())) {
                client.path("protocolMappers").forEach(m -> {
                    if (PbxExtensionMapper.PROVIDER_ID.equals(m.path("protocolMapper").asText())) {
                        mappers.add(m);
                    }
                });
            }
        }
        assertThat(mappers).as("pbx-web's pbx-extension mappers in %s", file).hasSize(1);
        JsonNode config = mappers.get(0).path("config");
        assertThat(mappers.get(0).path("protocol").asText()).isEqualTo("openid-connect");
        for (String token : List.of("id.token.claim", "access.token.claim", "userinfo.token.claim")) {
            assertThat(config.path(token).asText()).as(token).isEqualTo("true");
        }
    }
}
