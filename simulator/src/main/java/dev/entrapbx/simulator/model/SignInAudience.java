package dev.entrapbx.simulator.model;

import java.util.Locale;

/** Who may sign in to an app registration (Graph's application.signInAudience values). */
public enum SignInAudience {
    /** Single tenant: accounts of the home tenant only. */
    AzureADMyOrg,
    /** Multi-tenant: accounts of any Entra tenant. */
    AzureADMultipleOrgs;

    public boolean isMultiTenant() {
        return this == AzureADMultipleOrgs;
    }

    /** Accepts the Graph names and the short forms "single" / "multi". */
    public static SignInAudience parse(String value) {
        if (value == null || value.isBlank()) {
            return AzureADMyOrg;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "azureadmyorg", "single", "single-tenant", "singletenant" -> AzureADMyOrg;
            case "azureadmultipleorgs", "multi", "multi-tenant", "multitenant" -> AzureADMultipleOrgs;
            default -> throw new IllegalArgumentException("Unsupported signInAudience '" + value
                    + "' (use AzureADMyOrg or AzureADMultipleOrgs)");
        };
    }
}
