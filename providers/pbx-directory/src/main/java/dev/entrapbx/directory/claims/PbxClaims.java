package dev.entrapbx.directory.claims;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The claims of mapper {@code pbx-extension}, built from plain values (no Keycloak session):
 *
 * <pre>
 * "extension": "2001",
 * "pbx": {
 *   "organization": {"id": "…", "alias": "contoso"},
 *   "roles": ["agent"]
 * }
 * </pre>
 *
 * Nothing is ever {@code null} or empty: a user without an extension gets no {@code extension}, a
 * user with no chosen Organization no {@code pbx.organization}, no roles no {@code pbx.roles}, and
 * when neither of the last two is there no {@code pbx} at all.
 */
public final class PbxClaims {

    /** The user's PBX extension (user attribute {@code extension}), a string. */
    public static final String EXTENSION = "extension";
    /** The object holding the phone system (Organization) and the roles. */
    public static final String PBX = "pbx";
    public static final String ORGANIZATION = "organization";
    public static final String ORGANIZATION_ID = "id";
    public static final String ORGANIZATION_ALIAS = "alias";
    public static final String ROLES = "roles";

    private PbxClaims() {
    }

    /** A phone system: the Organization's id and alias. */
    public record Organization(String id, String alias) {
    }

    /**
     * The claims to add to a token, in the order above.
     *
     * @param extension the user's extension attribute, or null; blank counts as none, surrounding spaces are dropped
     * @param organization the chosen Organization, or null
     * @param roles the phone-system role names (already sorted), possibly empty
     */
    public static Map<String, Object> of(String extension, Organization organization, List<String> roles) {
        Map<String, Object> claims = new LinkedHashMap<>();
        if (extension != null && !extension.isBlank()) {
            claims.put(EXTENSION, extension.strip());
        }
        Map<String, Object> pbx = new LinkedHashMap<>();
        if (organization != null) {
            Map<String, Object> org = new LinkedHashMap<>();
            org.put(ORGANIZATION_ID, organization.id());
            org.put(ORGANIZATION_ALIAS, organization.alias());
            pbx.put(ORGANIZATION, org);
        }
        if (roles != null && !roles.isEmpty()) {
            pbx.put(ROLES, List.copyOf(roles));
        }
        if (!pbx.isEmpty()) {
            claims.put(PBX, pbx);
        }
        return claims;
    }

    /**
     * Which of the user's Organizations the token names: the first of {@code preferredIds} (null
     * entries skipped) that is one of {@code memberships}; else the only membership; else none
     * (several memberships and no preference: the claim is left out rather than guessed).
     */
    public static <T> Optional<T> choose(List<String> preferredIds, List<T> memberships, Function<T, String> id) {
        if (memberships.isEmpty()) {
            return Optional.empty();
        }
        for (String preferred : preferredIds) {
            if (preferred == null) {
                continue;
            }
            for (T m : memberships) {
                if (preferred.equals(id.apply(m))) {
                    return Optional.of(m);
                }
            }
        }
        return memberships.size() == 1 ? Optional.of(memberships.get(0)) : Optional.empty();
    }
}
