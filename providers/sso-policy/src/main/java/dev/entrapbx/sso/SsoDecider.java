package dev.entrapbx.sso;

import dev.entrapbx.core.OrganizationEntraProviders;
import dev.entrapbx.kc.EmailAddresses;
import dev.entrapbx.kc.Organizations;
import dev.entrapbx.sso.SsoDecision.Reason;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.services.ui.extend.UiPageProvider;

/**
 * Decides, per sign-in, whether a user goes to Microsoft or to the password step.
 * <ul>
 *   <li>A known user who is a member of an organization: SSO when the organization is enabled, its
 *       Entra ID provider (the policy's, else the linked {@code entra-id} provider the user is linked
 *       to, else the first enabled one) exists and is enabled, the policy has SSO on (the default
 *       without a policy) and the user is not excluded by name, email or group.</li>
 *   <li>A known user outside every organization: the partner-portal policy applies when the user is
 *       linked to the partner's provider or their email is of one of the partner's domains.</li>
 *   <li>An unknown address: its domain decides (an organization's domain, else a partner domain), so
 *       a customer's first-time users reach Microsoft and are created on return.</li>
 * </ul>
 * Everyone else signs in with a password.
 */
public final class SsoDecider {

    private final KeycloakSession session;
    private final RealmModel realm;

    public SsoDecider(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    /** The user for what was typed (username or email), or null; a duplicate (federation) reads as unknown. */
    public UserModel lookup(String typed) {
        try {
            return KeycloakModelUtils.findUserByNameOrEmail(session, realm, typed);
        } catch (ModelDuplicateException e) {
            return null;
        }
    }

    /** Decision for what was typed, per user (admin REST and tests): the known user's own decision, else the domain's. */
    public SsoDecision decide(String typed) {
        UserModel user = lookup(typed);
        return user != null ? forUser(user, typed) : forUnknown(typed);
    }

    /**
     * Where the email page sends an address: decided by its domain alone, never by whether an
     * account exists, is a member, or is excluded. So the page answers alike for every address of a
     * domain, and an outsider learns only what the domain already tells (that its organization
     * signs in with Microsoft). Excluded users reach the password step through "Sign in with a
     * password" on the email page, which every address has; the password step then applies the
     * per-user decision ({@link #forUser}).
     */
    public SsoDecision route(String typed) {
        return forAddress(typed, false);
    }

    /** Decision for a known user; {@code typed} (may be null) also counts for the exclusion list. */
    public SsoDecision forUser(UserModel user, String typed) {
        OrganizationProvider orgs = organizations();
        List<OrganizationModel> memberOf = orgs == null ? List.of()
                : orgs.getByMember(user).sorted(Comparator.comparing(OrganizationModel::getName)).toList();
        if (memberOf.isEmpty()) {
            return forPartnerStaff(user, typed);
        }
        SsoDecision first = null;
        for (OrganizationModel org : memberOf) {
            SsoDecision d = forOrganization(org, user, typed, Reason.ORGANIZATION_MEMBER);
            if (d.sso()) {
                return d;
            }
            first = first == null ? d : first;
        }
        return first;
    }

    /** Decision for an address no user has, and the route of every address: its domain decides. */
    public SsoDecision forUnknown(String typed) {
        return forAddress(typed, true);
    }

    /** The domain's decision; {@code exclusions}: whether the typed address counts against the exclusion list. */
    private SsoDecision forAddress(String typed, boolean exclusions) {
        Optional<String> domain = EmailAddresses.domainOf(typed);
        if (domain.isEmpty()) {
            return SsoDecision.password(null, Reason.NOT_COVERED, "Not an email address of a known domain.");
        }
        OrganizationProvider orgs = organizations();
        OrganizationModel org = orgs == null ? null : orgs.getByDomainName(domain.get());
        String excludable = exclusions ? typed : null;
        if (org != null) {
            return forOrganization(org, null, excludable, Reason.ORGANIZATION_DOMAIN);
        }
        Optional<SsoPolicy> partner = partnerPolicy();
        if (partner.isPresent() && partner.get().domains().contains(domain.get())) {
            return forPartner(partner.get(), null, excludable);
        }
        return SsoDecision.password(null, Reason.NOT_COVERED, "Domain " + domain.get() + " belongs to no organization and is no partner domain.");
    }

    private SsoDecision forOrganization(OrganizationModel org, UserModel user, String typed, Reason why) {
        String alias = org.getAlias();
        if (!org.isEnabled()) {
            return SsoDecision.password(alias, Reason.ORGANIZATION_DISABLED, "Organization " + alias + " is disabled.");
        }
        SsoPolicy policy = policyFor(alias).orElse(SsoPolicy.DEFAULT);
        Optional<IdentityProviderModel> idp = policy.identityProvider().map(a -> session.identityProviders().getByAlias(a))
                .or(() -> OrganizationEntraProviders.forSignIn(session, realm, org, user));
        if (idp.isEmpty()) {
            return SsoDecision.password(alias, Reason.NO_IDENTITY_PROVIDER, policy.identityProvider()
                    .map(a -> "Identity provider " + a + " named by the SSO policy of " + alias + " does not exist.")
                    .orElse("Organization " + alias + " has no Microsoft Entra ID identity provider linked."));
        }
        return applyPolicy(policy, idp.get(), alias, user, typed, why);
    }

    private SsoDecision forPartnerStaff(UserModel user, String typed) {
        Optional<SsoPolicy> partner = partnerPolicy();
        if (partner.isEmpty()) {
            return SsoDecision.password(null, Reason.NOT_COVERED, "Not a member of any organization; the realm has no partner-portal SSO policy.");
        }
        SsoPolicy p = partner.get();
        String idp = p.identityProvider().orElse(null);
        boolean linked = idp != null && session.users().getFederatedIdentity(realm, user, idp) != null;
        boolean partnerDomain = EmailAddresses.domainOf(user.getEmail()).map(p.domains()::contains).orElse(false);
        if (!linked && !partnerDomain) {
            return SsoDecision.password(null, Reason.NOT_COVERED,
                    "Not a member of any organization, not linked to " + idp + " and not of a partner domain.");
        }
        return forPartner(p, user, typed);
    }

    private SsoDecision forPartner(SsoPolicy p, UserModel user, String typed) {
        IdentityProviderModel idp = p.identityProvider().map(a -> session.identityProviders().getByAlias(a)).orElse(null);
        if (idp == null) {
            return SsoDecision.password(null, Reason.NO_IDENTITY_PROVIDER, "The partner-portal SSO policy names identity provider "
                    + p.identityProvider().orElse("(none)") + ", which does not exist.");
        }
        return applyPolicy(p, idp, null, user, typed, Reason.PARTNER_PORTAL);
    }

    private SsoDecision applyPolicy(SsoPolicy policy, IdentityProviderModel idp, String org, UserModel user, String typed, Reason why) {
        String scope = org == null ? "the partner portal" : "organization " + org;
        if (!idp.isEnabled()) {
            return SsoDecision.password(org, Reason.IDENTITY_PROVIDER_DISABLED, "Identity provider " + idp.getAlias() + " of " + scope + " is disabled.");
        }
        if (!policy.ssoEnabled()) {
            return SsoDecision.password(org, Reason.SSO_OFF, "SSO is switched off for " + scope + ".");
        }
        if (user != null ? policy.excludes(user.getUsername(), user.getEmail(), typed) : policy.excludes(typed)) {
            return SsoDecision.password(org, Reason.EXCLUDED_USER, "On the SSO exclusion list of " + scope + ".");
        }
        if (user != null && policy.excludedGroup().isPresent()) {
            GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, policy.excludedGroup().get());
            if (group != null && user.isMemberOf(group)) {
                return SsoDecision.password(org, Reason.EXCLUDED_GROUP, "Member of " + policy.excludedGroup().get()
                        + ", the excluded group of " + scope + ".");
            }
        }
        return SsoDecision.microsoft(idp.getAlias(), org, why, "SSO applies through " + idp.getAlias() + " (" + scope + ").");
    }

    /** The realm's SSO policy components. */
    public Stream<ComponentModel> policyComponents() {
        return realm.getComponentsStream(realm.getId(), UiPageProvider.class.getName())
                .filter(c -> SsoPolicyPageFactory.PROVIDER_ID.equals(c.getProviderId()));
    }

    /** The policy of organization {@code alias} (case-insensitive), if one was saved. */
    public Optional<SsoPolicy> policyFor(String alias) {
        // a partner realm holds one policy per customer: compare the alias before parsing a whole policy
        return policyComponents().filter(c -> alias.equalsIgnoreCase(SsoPolicy.organizationOf(c))).map(SsoPolicy::of).findFirst();
    }

    public Optional<SsoPolicy> partnerPolicy() {
        // asked on every sign-in outside an organization's domain: skip the customers' policies unparsed
        return policyComponents().filter(c -> SsoPolicy.organizationOf(c) == null).map(SsoPolicy::of).findFirst();
    }

    private OrganizationProvider organizations() {
        return Organizations.provider(session, realm);
    }
}
