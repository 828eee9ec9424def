package dev.entrapbx.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.entrapbx.core.EntraIdpKeys;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.keycloak.models.IdentityProviderModel;

class CustomerLinkTest {

    private static final String TID = "c9240016-2117-4aad-80cb-9f345db11929";

    private static PartnerApp app() {
        return PartnerApp.of(PartnerAppTest.model(Map.of(PartnerApp.DISPLAY_NAME, "Northwind", EntraIdpKeys.CLIENT_ID,
                "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9", EntraIdpKeys.CLIENT_SECRET, "${vault.partner}", EntraIdpKeys.SECRET_EXPIRES_ON, "2027-06-30",
                PartnerApp.SIGN_IN_URL, "https://phone.example")));
    }

    @Test
    void theCustomersIdentityProviderIsThePartnerAppForExactlyItsTenant() {
        IdentityProviderModel idp = CustomerLink.identityProvider(app(), "fabrikam-entra", "Fabrikam (Microsoft 365)", TID, "org-1");
        Map<String, String> c = idp.getConfig();
        assertThat(c).containsEntry(EntraIdpKeys.TENANT, "organizations").containsEntry(EntraIdpKeys.ALLOWED_TENANTS, TID)
                .containsEntry(EntraIdpKeys.SHARED_REDIRECT, "true").containsEntry(EntraIdpKeys.FROM_PARTNER_APP, "true")
                .containsEntry(EntraIdpKeys.CLIENT_ID, "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9")
                .containsEntry(EntraIdpKeys.CLIENT_SECRET, "${vault.partner}")
                .containsEntry(EntraIdpKeys.SECRET_EXPIRES_ON, "2027-06-30")
                .doesNotContainKey(PartnerApp.SIGN_IN_URL).doesNotContainKey(PartnerApp.DISPLAY_NAME);
        assertThat(idp.getProviderId()).isEqualTo("entra-id");
        assertThat(idp.isHideOnLogin()).isTrue();
        assertThat(idp.getOrganizationId()).isEqualTo("org-1");
    }

    @Test
    void onlyDomainsTheTenantVerifiedCount() {
        assertThat(CustomerLink.unverified(List.of("Fabrikam.com", "fabrikam.co.uk"), Set.of("fabrikam.com", "fabrikam.onmicrosoft.com")))
                .containsExactly("fabrikam.co.uk");
    }

    @Test
    void personalAccountAnswersAreRecognised() {
        assertThat(ConsentReturn.isPersonalAccountError("AADSTS500200: User account 'x@outlook.com' is a personal Microsoft account.")).isTrue();
        assertThat(ConsentReturn.isPersonalAccountError("AADSTS65004: User declined to consent to access the app.")).isFalse();
    }

    @Test
    void anInvitationIsExpiredOnlyWhilePendingPastItsTime() {
        Instant t = Instant.parse("2026-12-04T12:00:00Z");
        Invitation pending = invitation(Invitation.Status.PENDING, t);
        assertThat(pending.isExpired(t.minusSeconds(1))).isFalse();
        assertThat(pending.shownStatus(t)).isEqualTo("EXPIRED");
        assertThat(invitation(Invitation.Status.LINKED, t).shownStatus(t.plusSeconds(60))).isEqualTo("LINKED");
    }

    @Test
    void secretsAreRandomAndStoredAsTheirHash() {
        String a = InvitationStore.newSecret();
        assertThat(a).hasSize(43).isNotEqualTo(InvitationStore.newSecret());
        assertThat(InvitationStore.hash(a)).hasSize(64).isEqualTo(InvitationStore.hash(a)).doesNotContain(a);
    }

    private static Invitation invitation(Invitation.Status status, Instant expiresAt) {
        return new Invitation("i", "r", "o", "Fabrikam", List.of("fabrikam.com"), Optional.empty(), status, expiresAt.minusSeconds(3600),
                Optional.empty(), expiresAt, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void aLinkingClaimThatTimedOutMakesTheInvitationUsableAgain() {
        Instant t = Instant.parse("2026-12-04T12:00:00Z");
        Invitation linking = new Invitation("i", "r", "o", "F", List.of("f.com"), Optional.empty(), Invitation.Status.LINKING, t.minusSeconds(7200),
                Optional.empty(), t.plusSeconds(86_400), Optional.of(t), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(linking.isUsable(t.plusSeconds(60))).as("being linked").isFalse();
        assertThat(linking.isUsable(t.plus(InvitationStore.CLAIM_TIMEOUT).plusSeconds(1))).as("its node died").isTrue();
    }

    @Test
    void thePlainPageEscapesEveryValueAndPostsItsButton() {
        String html = Page.of("invitation", "A <b> & \"c\"", "x<script>").action("https://kc/continue?a=1&b=2", "Go")
                .items("Grants:", List.of("<img>")).plainHtml();
        assertThat(html).contains("A &lt;b&gt; &amp; &quot;c&quot;").contains("x&lt;script&gt;").contains("&lt;img&gt;")
                .contains("<form method=\"post\" action=\"https://kc/continue?a=1&amp;b=2\">").doesNotContain("<script>");
    }
}
