package dev.entrapbx.sso;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The outcome for one sign-in: Microsoft (which identity provider) or the password step, and why,
 * in words an admin can act on. Shown by {@code GET /admin/realms/{realm}/sso-policy/decision}.
 *
 * @param sso              true: the user is sent to {@code identityProvider} and their password is refused
 * @param identityProvider alias of the provider (null when {@code sso} is false)
 * @param organization     alias of the organization that decided (null: partner portal or none)
 * @param reason           stable code, see {@link Reason}
 * @param detail           one sentence for admins
 */
public record SsoDecision(boolean sso, String identityProvider, String organization, Reason reason, String detail) {

    /** Why a decision came out as it did. */
    public enum Reason {
        /** Member of an organization with SSO on. */
        ORGANIZATION_MEMBER,
        /** Unknown address whose domain belongs to an organization with SSO on. */
        ORGANIZATION_DOMAIN,
        /** Partner staff (linked to the partner's provider, or of a partner domain) with partner SSO on. */
        PARTNER_PORTAL,
        /** On the exclusion list by name or email. */
        EXCLUDED_USER,
        /** Member of the excluded group. */
        EXCLUDED_GROUP,
        /** SSO switched off for the organization or partner portal. */
        SSO_OFF,
        /** The organization is disabled. */
        ORGANIZATION_DISABLED,
        /** The organization has no Microsoft Entra ID provider linked (or the named one is gone). */
        NO_IDENTITY_PROVIDER,
        /** The provider exists but is disabled. */
        IDENTITY_PROVIDER_DISABLED,
        /** Not an organization member, and no partner-portal policy covers the user. */
        NOT_COVERED
    }

    static SsoDecision microsoft(String idp, String organization, Reason reason, String detail) {
        return new SsoDecision(true, idp, organization, reason, detail);
    }

    static SsoDecision password(String organization, Reason reason, String detail) {
        return new SsoDecision(false, null, organization, reason, detail);
    }

    /**
     * The decision as the admin REST answer shows it: {@code signIn} is {@code microsoft} or
     * {@code password}; a null field is left out.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Representation(String signIn, String identityProvider, String organization, String reason, String detail) {
    }

    /** Counted on /metrics ({@code entrapbx_sso_decisions_total}): the email step's decision, by sign-in and reason. */
    void meter(String realm) {
        dev.entrapbx.kc.Meters.ssoDecision(realm, sso ? "microsoft" : "password", reason.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** The shape of the admin REST answer. */
    public Representation representation() {
        return new Representation(sso ? "microsoft" : "password", identityProvider, organization, reason.name(), detail);
    }
}
