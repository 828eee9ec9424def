package dev.entrapbx.sso;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.keycloak.component.ComponentModel;

/**
 * One SSO policy, as stored in its component ({@link SsoPolicyPageFactory}): for one customer
 * organization, or (no organization) for the partner portal, i.e. realm users outside every
 * organization. Typed and null-safe view of the component's config; blank values read as absent.
 */
public final class SsoPolicy {

    public static final String ORGANIZATION = "organization";
    public static final String SSO_ENABLED = "ssoEnabled";
    public static final String IDENTITY_PROVIDER = "identityProvider";
    public static final String EXCLUDED_USERS = "excludedUsers";
    public static final String EXCLUDED_GROUP = "excludedGroup";
    public static final String DOMAINS = "domains";

    /** What an organization without a policy gets: SSO on, nobody excluded, its linked Entra ID provider. */
    static final SsoPolicy DEFAULT = new SsoPolicy(null, null, true, null, Set.of(), null, Set.of());

    private final String componentId;
    private final String organization;
    private final boolean ssoEnabled;
    private final String identityProvider;
    private final Set<String> excludedUsers;
    private final String excludedGroup;
    private final Set<String> domains;

    SsoPolicy(String componentId, String organization, boolean ssoEnabled, String identityProvider, Set<String> excludedUsers,
              String excludedGroup, Set<String> domains) {
        this.componentId = componentId;
        this.organization = organization;
        this.ssoEnabled = ssoEnabled;
        this.identityProvider = identityProvider;
        this.excludedUsers = Set.copyOf(excludedUsers);
        this.excludedGroup = excludedGroup;
        this.domains = Set.copyOf(domains);
    }

    public static SsoPolicy of(ComponentModel c) {
        return new SsoPolicy(c.getId(), organizationOf(c), !"false".equalsIgnoreCase(strip(c.get(SSO_ENABLED))),
                blankToNull(c.get(IDENTITY_PROVIDER)), lowerCase(values(c, EXCLUDED_USERS)), blankToNull(c.get(EXCLUDED_GROUP)),
                lowerCase(values(c, DOMAINS)));
    }

    static List<String> values(ComponentModel c, String key) {
        List<String> raw = c.getConfig() == null ? null : c.getConfig().get(key);
        return raw == null ? List.of() : raw.stream().filter(Objects::nonNull).map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    private static Set<String> lowerCase(List<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    private static String strip(String v) {
        return v == null ? null : v.strip();
    }

    /** The organization alias a policy component names, or null for the partner-portal policy (read without parsing the rest). */
    static String organizationOf(ComponentModel c) {
        return blankToNull(c.get(ORGANIZATION));
    }

    static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** The component id; empty for {@link #DEFAULT}. */
    public Optional<String> componentId() {
        return Optional.ofNullable(componentId);
    }

    /** Alias of the organization; empty for the partner-portal policy. */
    public Optional<String> organization() {
        return Optional.ofNullable(organization);
    }

    public boolean isPartnerPortal() {
        return organization == null;
    }

    public boolean ssoEnabled() {
        return ssoEnabled;
    }

    /** Alias of the identity provider to send users to; empty: the organization's linked Entra ID provider. */
    public Optional<String> identityProvider() {
        return Optional.ofNullable(identityProvider);
    }

    /** Usernames and emails (lower case) that keep password sign-in. */
    public Set<String> excludedUsers() {
        return excludedUsers;
    }

    /** Group path whose members (subgroups included) keep password sign-in. */
    public Optional<String> excludedGroup() {
        return Optional.ofNullable(excludedGroup);
    }

    /** Partner portal only: email domains (lower case) of the partner's own staff. */
    public Set<String> domains() {
        return domains;
    }

    /** True when one of {@code names} (username, email, typed address; any case) is on the exclusion list. */
    public boolean excludes(String... names) {
        for (String n : names) {
            if (n != null && excludedUsers.contains(n.strip().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "SsoPolicy[" + (organization == null ? "partner portal" : "organization " + organization) + ", sso "
                + (ssoEnabled ? "on" : "off") + ", " + excludedUsers.size() + " excluded user(s)"
                + (excludedGroup == null ? "" : ", excluded group " + excludedGroup) + "]";
    }
}
