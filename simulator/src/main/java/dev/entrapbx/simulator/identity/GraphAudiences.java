package dev.entrapbx.simulator.identity;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The resource identifiers that mean Microsoft Graph: the national clouds' Graph hosts, Graph's application id,
 * and the simulator's own base URL (which stands for the Graph host).
 */
public final class GraphAudiences {
    /** Microsoft Graph's well-known application id. */
    public static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
    public static final String GLOBAL = "https://graph.microsoft.com";
    private static final List<String> CLOUD_HOSTS = List.of(
            GLOBAL,
            "https://graph.microsoft.us",
            "https://dod-graph.microsoft.us",
            "https://microsoftgraph.chinacloudapi.cn");

    private final String baseUrl;

    public GraphAudiences(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** The canonical audience for a resource identifier, if it denotes Graph. */
    public Optional<String> canonical(String resource) {
        if (resource == null) {
            return Optional.empty();
        }
        String r = resource.trim();
        while (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        String lower = r.toLowerCase(Locale.ROOT);
        if (lower.equals(GRAPH_APP_ID)) {
            return Optional.of(GRAPH_APP_ID);
        }
        for (String host : CLOUD_HOSTS) {
            if (lower.equals(host)) {
                return Optional.of(host);
            }
        }
        if (lower.equals(baseUrl.toLowerCase(Locale.ROOT))) {
            return Optional.of(baseUrl);
        }
        return Optional.empty();
    }

    public boolean accepts(String audience) {
        return canonical(audience).isPresent();
    }
}
