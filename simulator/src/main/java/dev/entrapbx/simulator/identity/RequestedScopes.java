package dev.entrapbx.simulator.identity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A parsed {@code scope} parameter: OpenID Connect scopes plus permissions of one resource (Microsoft Graph;
 * a bare name like {@code User.Read} means Graph, as at Entra).
 *
 * @param resource    canonical Graph audience the permissions are for
 * @param permissions permission names without the resource prefix, e.g. "User.Read"; ".default" kept as is
 */
public record RequestedScopes(String raw, Set<String> oidc, String resource, List<String> permissions) {
    private static final Set<String> OIDC = Set.of("openid", "profile", "email", "offline_access");

    public static RequestedScopes parse(String raw, GraphAudiences graph, String tenantName) {
        Set<String> oidc = new LinkedHashSet<>();
        List<String> permissions = new ArrayList<>();
        String resource = null;
        for (String s : raw == null ? new String[0] : raw.trim().split("\\s+")) {
            if (s.isEmpty()) {
                continue;
            }
            if (OIDC.contains(s.toLowerCase(Locale.ROOT))) {
                oidc.add(s.toLowerCase(Locale.ROOT));
                continue;
            }
            String res;
            String perm;
            int slash = s.lastIndexOf('/');
            if (slash > 0 && (s.contains("://") || s.indexOf('/') == 36)) {
                res = s.substring(0, slash);
                perm = s.substring(slash + 1);
            } else {
                res = GraphAudiences.GLOBAL;
                perm = s;
            }
            String canonical = graph.canonical(res).orElseThrow(() -> AadErrors.resourceNotFound(
                    res.replaceAll("/+$", ""), tenantName));
            if (resource != null && !resource.equals(canonical)) {
                throw AadErrors.scopeMultipleResources();
            }
            resource = canonical;
            permissions.add(perm);
        }
        return new RequestedScopes(raw == null ? "" : raw, oidc, resource, List.copyOf(permissions));
    }

    public boolean has(String oidcScope) {
        return oidc.contains(oidcScope);
    }

    public boolean isDefault() {
        return permissions.size() == 1 && ".default".equals(permissions.get(0));
    }

    /** Audience of the access token: the requested resource, else Graph. */
    public String audience() {
        return resource == null ? GraphAudiences.GLOBAL : resource;
    }

    /**
     * Delegated permissions granted (admin consent assumed): the named ones, or User.Read when only OIDC scopes or
     * .default were asked, plus openid/profile/email as Entra lists them in {@code scp}.
     */
    public List<String> grantedDelegated() {
        List<String> out = new ArrayList<>();
        permissions.stream().filter(p -> !".default".equals(p)).forEach(out::add);
        if (out.isEmpty()) {
            out.add("User.Read");
        }
        for (String s : List.of("email", "openid", "profile")) {
            if (oidc.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The scope value of the token response: full resource-qualified permissions plus OIDC scopes. */
    public String responseScope() {
        List<String> out = new ArrayList<>();
        String res = audience();
        grantedDelegated().stream().filter(p -> !OIDC.contains(p)).forEach(p -> out.add(res + "/" + p));
        oidc.stream().filter(s -> !"offline_access".equals(s)).forEach(out::add);
        if (oidc.contains("offline_access")) {
            out.add("offline_access");
        }
        return String.join(" ", out);
    }
}
