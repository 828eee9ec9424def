package dev.entrapbx.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContactsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anItemIsTheStoredContactWithItsIdSourceAndOwnerInFront() throws Exception {
        String stored = "{\"displayName\":\"Acme \\\"Front\\\" Desk\",\"companyName\":null,\"phones\":[{\"type\":\"business\","
                + "\"number\":\"(020) 7946 0958\",\"e164\":\"+442079460958\"}]}";
        JsonNode item = JSON.readTree(ContactsApi.item("c1", "personal", "u1", stored));
        assertThat(item.path("id").asText()).isEqualTo("c1");
        assertThat(item.path("source").asText()).isEqualTo("personal");
        assertThat(item.path("owner").asText()).isEqualTo("u1");
        assertThat(item.path("displayName").asText()).isEqualTo("Acme \"Front\" Desk");
        assertThat(item.path("phones").get(0).path("e164").asText()).isEqualTo("+442079460958");

        JsonNode company = JSON.readTree(ContactsApi.item("c2", "company", null, "{}"));
        assertThat(company.path("owner").isNull()).isTrue();
        assertThat(company.size()).isEqualTo(3);
    }

    @Test
    void aMembersNumbersAreItsExtensionAndItsPhonesInE164() {
        Entry e = new Entry("u1", "ann", "ann@x", "Ann", "Ann", "Lee", true, "2001", Entry.ASSIGNED, null, null,
                List.of("(020) 7946 0100", "n/a"), "07700 900123", null, null, null, null, List.of());
        assertThat(DirectoryNumbers.numbers(e, "GB")).extracting(n -> n[0] + " " + n[1] + " " + n[2]).containsExactly(
                "extension null 2001", "business +442079460100 02079460100", "mobile +447700900123 07700900123");
        Entry none = new Entry("u2", "bob", null, null, null, null, true, null, Entry.NONE, null, null, List.of(), null, null, null, null,
                null, List.of());
        assertThat(DirectoryNumbers.numbers(none, "GB")).isEmpty();
    }
}
