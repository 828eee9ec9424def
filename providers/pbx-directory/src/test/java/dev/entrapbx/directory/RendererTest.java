package dev.entrapbx.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RendererTest {

    private final ChangeFeed.Renderer renderer = ChangeFeed.renderer(URI.create("https://login.example.com/"), "partner");

    private static Entry entry(String etag, String groupName, String jobTitle) {
        return new Entry("u-1", "ann@x.example", "ann@x.example", "Ann \"The\" A", "Ann", "A", true, "101", Entry.ASSIGNED, jobTitle,
                "Ops", List.of("+1 425"), null, null, "oid", "tid", etag, List.of(new Entry.Group("g1", groupName, "eg1")));
    }

    private JsonNode spliced(Entry e) throws Exception {
        return Json.MAPPER.readTree(renderer.entryJson(Json.write(e), e.id()));
    }

    private JsonNode rendered(Entry e) {
        return Json.MAPPER.valueToTree(renderer.entry(e));
    }

    @Test
    void theTextualRenderingEqualsTheParsedOne() throws Exception {
        for (Entry e : List.of(entry(null, "Sales", "Agent"), entry("W/\"0c9e\\\\x\"", "Sales", "Agent"),
                entry("abc", ",\"photoEtag\":\"evil\"", ",\"photoEtag\":null"))) {
            assertThat(spliced(e)).as(Json.write(e)).isEqualTo(rendered(e));
        }
        JsonNode withPhoto = spliced(entry("abc", "Sales", "Agent"));
        assertThat(withPhoto.path("photo").path("url").asText()).isEqualTo("https://login.example.com/realms/partner/entra-photos/u-1");
        assertThat(withPhoto.path("photo").path("etag").asText()).isEqualTo("abc");
        assertThat(withPhoto.has("photoEtag")).isFalse();
        assertThat(spliced(entry(null, "Sales", "Agent")).path("photo").isNull()).isTrue();
    }
}
