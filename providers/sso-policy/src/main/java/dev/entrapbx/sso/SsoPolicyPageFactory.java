package dev.entrapbx.sso;

import dev.entrapbx.core.OrganizationEntraProviders;
import dev.entrapbx.kc.ExtensionInfo;
import dev.entrapbx.kc.Organizations;
import dev.entrapbx.kc.StatelessProviderFactory;
import dev.entrapbx.kc.ValidationMessages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.services.ui.extend.UiPageProvider;
import org.keycloak.services.ui.extend.UiPageProviderFactory;

/**
 * Admin console page <em>SSO policies</em> (left menu, under Configure; Keycloak's declarative UI):
 * one entry per customer organization, plus at most one for the partner portal (no organization).
 * Each entry is a realm component; saving checks that the organization, identity provider, excluded
 * users and group exist and refuses the save with a message naming what to fix. Creating, editing
 * and deleting an entry are admin events of resource type COMPONENT, like every component change;
 * {@code /admin/realms/{realm}/sso-policy} is the same data in a friendlier REST shape.
 */
public class SsoPolicyPageFactory implements UiPageProvider, UiPageProviderFactory<ComponentModel>, ServerInfoAwareProviderFactory,
        StatelessProviderFactory<UiPageProvider> {

    /** Page title and component provider id. */
    public static final String PROVIDER_ID = "SSO policies";

    private static final Pattern DOMAIN = Pattern.compile("(?i)^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$");

    private static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(SsoPolicy.ORGANIZATION).label("Organization").type(ProviderConfigProperty.STRING_TYPE)
            .helpText("Alias of the customer organization this policy is for (Organizations > the organization > Alias). "
                    + "Leave empty for the partner portal: realm users outside every organization, e.g. the partner's own staff.")
            .add()
            .property().name(SsoPolicy.SSO_ENABLED).label("SSO enabled").type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true")
            .helpText("On: the users it covers are sent to Microsoft after typing their email, and their Keycloak password is refused "
                    + "(but kept). Off (e.g. during a Microsoft outage): password sign-in works again at once. "
                    + "An organization without a policy has SSO on.")
            .add()
            .property().name(SsoPolicy.IDENTITY_PROVIDER).label("Identity provider").type(ProviderConfigProperty.STRING_TYPE)
            .helpText("Alias of the Microsoft Entra ID identity provider to send users to. For an organization it may stay empty: "
                    + "the Entra ID provider linked to the organization. Required for the partner portal.")
            .add()
            .property().name(SsoPolicy.EXCLUDED_USERS).label("Excluded users").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("Usernames or emails that keep password sign-in (e.g. a break-glass administrator). Matched at sign-in, any case.")
            .add()
            .property().name(SsoPolicy.EXCLUDED_GROUP).label("Excluded group").type(ProviderConfigProperty.STRING_TYPE)
            .helpText("Path of a group, e.g. /sso-exceptions: its members (subgroups included) keep password sign-in.")
            .add()
            .property().name(SsoPolicy.DOMAINS).label("Partner email domains").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .helpText("Partner portal only: email domains of the partner's staff, e.g. partner-a.example. Staff of these domains "
                    + "(and users linked to the partner's provider) go to Microsoft. Organizations use their own domains.")
            .add()
            .build();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "Who signs in with Microsoft: per customer organization (and for the partner portal) an SSO switch and an exclusion list.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
    }

    @Override
    public Map<String, Object> getTypeMetadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("displayFields", List.of(SsoPolicy.ORGANIZATION, SsoPolicy.SSO_ENABLED, SsoPolicy.IDENTITY_PROVIDER));
        return m;
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) {
        List<String> problems = problems(session, realm, model);
        if (!problems.isEmpty()) {
            throw new ComponentValidationException(ValidationMessages.literal("SSO policy not saved: " + String.join(" ", problems)));
        }
        SsoPolicy p = SsoPolicy.of(model);
        if (model.getName() == null || model.getName().isBlank()) {
            model.setName(p.organization().map(o -> "SSO policy of " + o).orElse("SSO policy of the partner portal"));
        }
    }

    /** Everything wrong with a policy, each as a sentence saying what to fix; empty when it can be saved. */
    static List<String> problems(KeycloakSession session, RealmModel realm, ComponentModel model) {
        List<String> problems = new ArrayList<>();
        SsoPolicy p = SsoPolicy.of(model);
        String enabled = model.get(SsoPolicy.SSO_ENABLED);
        if (enabled != null && !enabled.isBlank() && !enabled.strip().equalsIgnoreCase("true") && !enabled.strip().equalsIgnoreCase("false")) {
            problems.add("SSO enabled must be true or false, not '" + enabled.strip() + "'.");
        }
        SsoDecider decider = new SsoDecider(session, realm);
        OrganizationModel org = null;
        if (p.organization().isPresent()) {
            String alias = p.organization().get();
            org = Organizations.byAlias(session, realm, alias).orElse(null);
            if (org == null) {
                problems.add("Organization '" + alias + "' does not exist in realm " + realm.getName()
                        + " (enter its alias, or leave it empty for the partner portal).");
            }
            decider.policyFor(alias).flatMap(SsoPolicy::componentId).filter(id -> !id.equals(model.getId()))
                    .ifPresent(id -> problems.add("Organization '" + alias + "' already has an SSO policy; edit that one."));
            if (!p.domains().isEmpty()) {
                problems.add("Partner email domains are for the partner-portal policy only; an organization's domains are set on the organization.");
            }
        } else {
            decider.partnerPolicy().flatMap(SsoPolicy::componentId).filter(id -> !id.equals(model.getId()))
                    .ifPresent(id -> problems.add("The realm already has a partner-portal SSO policy (no organization); edit that one."));
            if (p.identityProvider().isEmpty()) {
                problems.add("The partner-portal policy needs the alias of the partner's own Microsoft Entra ID identity provider.");
            }
            for (String d : p.domains()) {
                if (!DOMAIN.matcher(d).matches()) {
                    problems.add("Partner email domain '" + d + "' is not a domain name such as partner-a.example.");
                }
            }
        }
        if (p.identityProvider().isPresent()) {
            String alias = p.identityProvider().get();
            IdentityProviderModel idp = session.identityProviders().getByAlias(alias);
            if (idp == null) {
                problems.add("Identity provider '" + alias + "' does not exist (Identity providers > its alias).");
            } else if (org != null && !org.getId().equals(idp.getOrganizationId())) {
                problems.add("Identity provider '" + alias + "' is not linked to organization '" + org.getAlias()
                        + "' (Organizations > " + org.getAlias() + " > Identity providers).");
            } else if (org == null && p.isPartnerPortal() && idp.getOrganizationId() != null) {
                problems.add("Identity provider '" + alias + "' belongs to an organization; the partner portal needs the partner's own provider.");
            }
        } else if (org != null && !OrganizationEntraProviders.any(org)) {
            problems.add("Organization '" + org.getAlias() + "' has no Microsoft Entra ID identity provider linked; link one, or name one here.");
        }
        for (String u : p.excludedUsers()) {
            if (decider.lookup(u) == null) {
                problems.add("Excluded user '" + u + "' does not exist (enter a username or email).");
            }
        }
        p.excludedGroup().ifPresent(g -> {
            if (KeycloakModelUtils.findGroupByPath(session, realm, g) == null) {
                problems.add("Excluded group '" + g + "' does not exist (enter a group path such as /sso-exceptions).");
            }
        });
        return problems;
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return ExtensionInfo.operationalInfo();
    }

    /** Also the provider: nothing to release (the factory's lifecycle comes from {@link StatelessProviderFactory}). */
    @Override
    public void close() {
    }
}
