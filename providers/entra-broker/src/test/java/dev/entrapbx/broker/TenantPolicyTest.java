package dev.entrapbx.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.entrapbx.core.EntraCloud;
import dev.entrapbx.core.EntraEndpoints;
import dev.entrapbx.core.TenantSelector;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantPolicyTest {

    static final String A = "6f1e2d3c-4b5a-4978-8a1b-2c3d4e5f6a7b";
    static final String B = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
    static final String C = "11111111-2222-4333-8444-555555555555";

    private final EntraEndpoints multi = EntraEndpoints.of(EntraCloud.GLOBAL, TenantSelector.parse("organizations"));

    @Test
    void allowedTenantWithMatchingIssuerPasses() {
        TenantPolicy p = new TenantPolicy(multi, null, Set.of(A, B), false);
        assertThat(p.check("https://login.microsoftonline.com/" + B + "/v2.0", B.toUpperCase())).isEmpty();
    }

    @Test
    void tenantNotInTheAllowListIsRefused() {
        TenantPolicy p = new TenantPolicy(multi, null, Set.of(A), false);
        assertThat(p.check("https://login.microsoftonline.com/" + C + "/v2.0", C))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(TenantPolicy.Reason.TENANT_NOT_ALLOWED));
    }

    @Test
    void anyTenantAdmitsEveryTenantButStillChecksTheIssuer() {
        TenantPolicy p = new TenantPolicy(multi, null, Set.of(), true);
        assertThat(p.check("https://login.microsoftonline.com/" + C + "/v2.0", C)).isEmpty();
        assertThat(p.check("https://login.microsoftonline.com/" + A + "/v2.0", C))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(TenantPolicy.Reason.WRONG_ISSUER));
    }

    @Test
    void issuerOfAnotherCloudOrHostIsRefused() {
        TenantPolicy p = new TenantPolicy(multi, null, Set.of(A), false);
        assertThat(p.check("https://login.microsoftonline.us/" + A + "/v2.0", A))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(TenantPolicy.Reason.WRONG_ISSUER));
        assertThat(p.check("https://sts.windows.net/" + A + "/", A)) // a v1.0 token
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(TenantPolicy.Reason.WRONG_ISSUER));
    }

    @Test
    void singleTenantRefusesAnyOtherTenant() {
        EntraEndpoints single = EntraEndpoints.of(EntraCloud.GLOBAL, TenantSelector.parse(A));
        TenantPolicy p = new TenantPolicy(single, A, Set.of(), false);
        assertThat(p.check("https://login.microsoftonline.com/" + A + "/v2.0", A)).isEmpty();
        assertThat(p.check("https://login.microsoftonline.com/" + B + "/v2.0", B))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(TenantPolicy.Reason.TENANT_NOT_ALLOWED));
    }

    @Test
    void missingOrMalformedTidIsRefused() {
        TenantPolicy p = new TenantPolicy(multi, null, Set.of(A), true);
        assertThat(p.check("https://login.microsoftonline.com/" + A + "/v2.0", null))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(TenantPolicy.Reason.MISSING_TID));
        assertThat(p.check("https://login.microsoftonline.com/" + A + "/v2.0", 42))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(TenantPolicy.Reason.MISSING_TID));
    }

    @Test
    void tenantIdIsReadFromADiscoveryIssuer() {
        assertThat(TenantIdResolver.tenantIdFromIssuer("https://login.microsoftonline.com/" + A.toUpperCase() + "/v2.0")).contains(A);
        assertThat(TenantIdResolver.tenantIdFromIssuer("https://login.microsoftonline.com/{tenantid}/v2.0")).isEmpty();
        assertThat(TenantIdResolver.tenantIdFromIssuer(null)).isEmpty();
    }
}
