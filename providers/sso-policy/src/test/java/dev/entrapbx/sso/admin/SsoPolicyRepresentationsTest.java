package dev.entrapbx.sso.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.entrapbx.sso.SsoCoverage;
import dev.entrapbx.sso.SsoDecision;
import dev.entrapbx.sso.SsoFlows;
import dev.entrapbx.sso.SsoPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.services.util.ObjectMapperResolver;

/**
 * The SSO policy admin answers write the same JSON as the Maps the resource built before, with
 * Keycloak's own JAX-RS mapper (which leaves out null fields and null map values alike).
 */
class SsoPolicyRepresentationsTest {

    private static final ObjectMapper KEYCLOAK = new ObjectMapperResolver().getContext(Object.class);

    private static SsoPolicy policy(String id, String organization, String enabled, String idp, List<String> excluded, String group,
                                    List<String> domains) {
        ComponentModel c = new ComponentModel();
        c.setId(id);
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        if (organization != null) {
            config.putSingle(SsoPolicy.ORGANIZATION, organization);
        }
        config.putSingle(SsoPolicy.SSO_ENABLED, enabled);
        if (idp != null) {
            config.putSingle(SsoPolicy.IDENTITY_PROVIDER, idp);
        }
        config.put(SsoPolicy.EXCLUDED_USERS, new ArrayList<>(excluded));
        if (group != null) {
            config.putSingle(SsoPolicy.EXCLUDED_GROUP, group);
        }
        config.put(SsoPolicy.DOMAINS, new ArrayList<>(domains));
        c.setConfig(config);
        return SsoPolicy.of(c);
    }

    private static final SsoPolicy PARTNER = policy("c-partner", null, "true", "partner-entra", List.of("Zed@p.example", "amy@p.example"),
            null, List.of("p.example", "b.example"));
    private static final SsoPolicy ACME = policy("c-acme", "acme", "false", null, List.of("ben@acme.example"), "/sso-exceptions", List.of());

    @Test
    void policies() throws Exception {
        for (SsoPolicy p : new SsoPolicy[] {PARTNER, ACME, null}) {
            same(PolicyRepresentation.of(p), policyBefore(p));
        }
        assertThat(KEYCLOAK.writeValueAsString(PolicyRepresentation.of(null)))
                .isEqualTo("{\"ssoEnabled\":true,\"excludedUsers\":[]}");
        assertThat(KEYCLOAK.writeValueAsString(PolicyRepresentation.of(PARTNER))).isEqualTo("{\"id\":\"c-partner\",\"ssoEnabled\":true,"
                + "\"identityProvider\":\"partner-entra\",\"excludedUsers\":[\"amy@p.example\",\"zed@p.example\"],"
                + "\"domains\":[\"b.example\",\"p.example\"]}");
    }

    @Test
    void organizationsAndOverview() throws Exception {
        OrganizationPolicyRepresentation saved = OrganizationPolicyRepresentation.of("acme", "Acme Ltd", Optional.of(ACME));
        OrganizationPolicyRepresentation defaults = OrganizationPolicyRepresentation.of("beta", "Beta", Optional.empty());
        same(saved, organizationBefore("acme", "Acme Ltd", Optional.of(ACME)));
        same(defaults, organizationBefore("beta", "Beta", Optional.empty()));
        assertThat(KEYCLOAK.writeValueAsString(saved)).isEqualTo("{\"id\":\"c-acme\",\"organization\":\"acme\",\"ssoEnabled\":false,"
                + "\"excludedUsers\":[\"ben@acme.example\"],\"excludedGroup\":\"/sso-exceptions\",\"organizationName\":\"Acme Ltd\",\"saved\":true}");

        for (SsoPolicy partner : new SsoPolicy[] {PARTNER, null}) {
            Map<String, Object> before = new LinkedHashMap<>();
            before.put("organizations", List.of(organizationBefore("acme", "Acme Ltd", Optional.of(ACME)),
                    organizationBefore("beta", "Beta", Optional.empty())));
            before.put("partner", partner == null ? null : policyBefore(partner));
            same(new OverviewRepresentation(List.of(saved, defaults), partner == null ? null : PolicyRepresentation.of(partner)), before);
        }
        assertThat(KEYCLOAK.writeValueAsString(new OverviewRepresentation(List.of(), null))).isEqualTo("{\"organizations\":[]}");
    }

    @Test
    void decisions() throws Exception {
        SsoDecision microsoft = new SsoDecision(true, "acme-entra", "acme", SsoDecision.Reason.ORGANIZATION_MEMBER, "Member of acme.");
        SsoDecision password = new SsoDecision(false, null, null, SsoDecision.Reason.NOT_COVERED, "Not covered.");
        for (SsoDecision d : List.of(microsoft, password)) {
            for (boolean known : new boolean[] {true, false}) {
                same(new DecisionRepresentation("amy@acme.example", known, d.representation()), decisionBefore("amy@acme.example", known, d));
            }
        }
        assertThat(KEYCLOAK.writeValueAsString(new DecisionRepresentation("x@y.example", false, password.representation())))
                .isEqualTo("{\"user\":\"x@y.example\",\"knownUser\":false,\"signIn\":\"password\",\"reason\":\"NOT_COVERED\",\"detail\":\"Not covered.\"}");
    }

    @Test
    void flows() throws Exception {
        List<SsoCoverage.Binding> bindings = List.of(new SsoCoverage.Binding("realm browser flow", "entra-pbx browser", true, null),
                new SsoCoverage.Binding("client legacy-app (direct_grant override)", "direct grant", false, "'direct grant' has ..."));
        // Map.of has no order: compared as JSON trees
        assertThat(KEYCLOAK.valueToTree(FlowCoverageRepresentation.of(bindings)).equals(KEYCLOAK.valueToTree(
                Map.of("bindings", bindings, "unguarded", bindings.stream().filter(b -> !b.guarded()).count())))).isTrue();
        assertThat(KEYCLOAK.writeValueAsString(FlowCoverageRepresentation.of(bindings))).contains("\"unguarded\":1")
                .contains("{\"usedBy\":\"realm browser flow\",\"flow\":\"entra-pbx browser\",\"guarded\":true}");

        List<String> added = List.of(SsoFlows.BROWSER);
        assertThat(KEYCLOAK.valueToTree(FlowsInstalledRepresentation.of(added)).equals(KEYCLOAK.valueToTree(Map.of("added", added,
                "browserFlow", SsoFlows.BROWSER, "directGrantFlow", SsoFlows.DIRECT_GRANT, "resetCredentialsFlow", SsoFlows.RESET_CREDENTIALS,
                "firstBrokerLoginFlow", SsoFlows.FIRST_BROKER_LOGIN)))).isTrue();
    }

    private static void same(Object representation, Map<String, Object> before) throws Exception {
        assertThat(KEYCLOAK.writeValueAsString(representation)).isEqualTo(KEYCLOAK.writeValueAsString(before));
    }

    // ---- the resource's answers before representation classes, verbatim

    private static Map<String, Object> policyBefore(SsoPolicy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p == null ? null : p.componentId().orElse(null));
        m.put("organization", p == null ? null : p.organization().orElse(null));
        m.put(SsoPolicy.SSO_ENABLED, p == null || p.ssoEnabled());
        m.put(SsoPolicy.IDENTITY_PROVIDER, p == null ? null : p.identityProvider().orElse(null));
        m.put(SsoPolicy.EXCLUDED_USERS, p == null ? List.of() : p.excludedUsers().stream().sorted().toList());
        m.put(SsoPolicy.EXCLUDED_GROUP, p == null ? null : p.excludedGroup().orElse(null));
        if (p != null && p.isPartnerPortal()) {
            m.put(SsoPolicy.DOMAINS, p.domains().stream().sorted().toList());
        }
        return m;
    }

    private static Map<String, Object> organizationBefore(String alias, String name, Optional<SsoPolicy> saved) {
        Map<String, Object> m = policyBefore(saved.orElse(null));
        m.put("organization", alias);
        m.put("organizationName", name);
        m.put("saved", saved.isPresent());
        return m;
    }

    private static Map<String, Object> decisionBefore(String user, boolean known, SsoDecision d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", user);
        out.put("knownUser", known);
        out.put("signIn", d.sso() ? "microsoft" : "password");
        out.put("identityProvider", d.identityProvider());
        out.put("organization", d.organization());
        out.put("reason", d.reason().name());
        out.put("detail", d.detail());
        return out;
    }
}
