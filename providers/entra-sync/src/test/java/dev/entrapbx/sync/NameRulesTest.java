package dev.entrapbx.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NameRulesTest {

    private static EntraUser user(Map<String, List<String>> p) {
        return new EntraUser("11111111-2222-3333-4444-555555555555", null, p);
    }

    @Test
    void namesFallBackToTheDisplayName() {
        assertThat(NameRules.names(user(Map.of("displayName", List.of("Reception Desk"))), "r@c.com")).containsExactly("Reception", "Desk");
        assertThat(NameRules.names(user(Map.of("displayName", List.of("Lobby"))), "r@c.com")).containsExactly("Lobby", "Lobby");
        assertThat(NameRules.names(user(Map.of("givenName", List.of("Ann"), "surname", List.of("Lee"))), "a")).containsExactly("Ann", "Lee");
        assertThat(NameRules.names(user(Map.of()), "desk@c.com")).containsExactly("desk@c.com", "desk@c.com");
    }

    @Test
    void onlyTheMissingHalfComesFromTheDisplayNameAndBlanksCountAsMissing() {
        assertThat(NameRules.names(user(Map.of("givenName", List.of("Ann"), "displayName", List.of("Ann Marie Lee"))), "a"))
                .containsExactly("Ann", "Lee");
        assertThat(NameRules.names(user(Map.of("surname", List.of("Lee"), "displayName", List.of("Ann Marie Lee"))), "a"))
                .containsExactly("Ann Marie", "Lee");
        assertThat(NameRules.names(user(Map.of("givenName", List.of("  "), "surname", List.of(" Lee "), "displayName", List.of(" "))), "ann"))
                .containsExactly("ann", "Lee");
    }

    @Test
    void anEmailIsVerifiedOnlyOnAVerifiedDomainOfTheTenant() {
        Set<String> domains = Set.of("contoso.com", "contoso.onmicrosoft.com");
        assertThat(NameRules.emailVerified("ann@contoso.com", domains)).isTrue();
        assertThat(NameRules.emailVerified("ann@contoso.onmicrosoft.com", domains)).isTrue();
        assertThat(NameRules.emailVerified("ann@sub.contoso.com", domains)).isFalse();
        assertThat(NameRules.emailVerified("ann@fabrikam.com", domains)).isFalse();
        assertThat(NameRules.emailVerified(null, domains)).isFalse();
        assertThat(NameRules.emailVerified("ann@contoso.com", Set.of())).as("domains could not be read").isFalse();
    }
}
