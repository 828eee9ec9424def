package dev.entrapbx.directory.claims;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entrapbx.directory.claims.PbxClaims.Organization;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PbxClaimsTest {

    private static final Organization CONTOSO = new Organization("8f2c-contoso", "contoso");
    private static final Organization FABRIKAM = new Organization("11aa-fabrikam", "fabrikam");
    private static final Function<Organization, String> ID = Organization::id;

    @Test
    void everyPartSerialisesToTheDocumentedShape() throws Exception {
        Map<String, Object> claims = PbxClaims.of("2001", CONTOSO, List.of("agent", "supervisor"));
        assertThat(new ObjectMapper().writeValueAsString(claims)).isEqualTo(
                "{\"extension\":\"2001\",\"pbx\":{\"organization\":{\"id\":\"8f2c-contoso\",\"alias\":\"contoso\"},"
                        + "\"roles\":[\"agent\",\"supervisor\"]}}");
    }

    @Test
    void aUserWithoutExtensionGetsNoExtensionClaimNeitherNullNorEmpty() {
        for (String none : Arrays.asList(null, "", "   ")) {
            Map<String, Object> claims = PbxClaims.of(none, CONTOSO, List.of());
            assertThat(claims).as("extension %s", none).doesNotContainKey(PbxClaims.EXTENSION).containsKey(PbxClaims.PBX);
        }
        assertThat(PbxClaims.of(" 2001 ", null, List.of())).containsExactly(Map.entry(PbxClaims.EXTENSION, "2001"));
    }

    @Test
    void withoutOrganizationAndRolesThereIsNoPbxObjectAndEachPartIsLeftOutOnItsOwn() {
        assertThat(PbxClaims.of(null, null, List.of())).isEmpty();
        assertThat(PbxClaims.of(null, null, null)).isEmpty();
        assertThat(PbxClaims.of("7", null, List.of("agent")).get(PbxClaims.PBX))
                .isEqualTo(Map.of(PbxClaims.ROLES, List.of("agent")));
        assertThat(PbxClaims.of("7", CONTOSO, List.of()).get(PbxClaims.PBX))
                .isEqualTo(Map.of(PbxClaims.ORGANIZATION, Map.of("id", "8f2c-contoso", "alias", "contoso")));
    }

    @Test
    void aSingleMembershipIsTheOrganizationWhateverWasPreferred() {
        assertThat(PbxClaims.choose(List.of(), List.of(CONTOSO), ID)).contains(CONTOSO);
        assertThat(PbxClaims.choose(List.of("other"), List.of(CONTOSO), ID)).contains(CONTOSO);
        assertThat(PbxClaims.choose(List.of("8f2c-contoso"), List.of(), ID)).isEmpty();
    }

    @Test
    void ofSeveralMembershipsTheFirstPreferenceTheUserIsAMemberOfWinsElseNoneIsGuessed() {
        List<Organization> both = List.of(CONTOSO, FABRIKAM);
        assertThat(PbxClaims.choose(List.of(), both, ID)).isEmpty();
        assertThat(PbxClaims.choose(Arrays.asList(null, "not-a-member"), both, ID)).isEmpty();
        assertThat(PbxClaims.choose(List.of("11aa-fabrikam", "8f2c-contoso"), both, ID)).contains(FABRIKAM);
        assertThat(PbxClaims.choose(Arrays.asList(null, "not-a-member", "8f2c-contoso"), both, ID)).contains(CONTOSO);
    }
}
