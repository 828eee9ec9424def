package dev.entrapbx.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A Microsoft Entra ID cloud instance: the host that signs users in and issues tokens,
 * and the Microsoft Graph host of the same cloud.
 *
 * <p>Hosts per https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud
 * and https://learn.microsoft.com/graph/deployments. A cloud's v2.0 token issuer uses its login
 * host ({@code https://<login host>/<tenant id>/v2.0}).
 */
public enum EntraCloud {

    GLOBAL("global", "Global (login.microsoftonline.com)",
            "https://login.microsoftonline.com", "https://graph.microsoft.com"),
    US_GOVERNMENT("us-government", "US Government L4 (login.microsoftonline.us)",
            "https://login.microsoftonline.us", "https://graph.microsoft.us"),
    US_GOVERNMENT_DOD("us-government-dod", "US Government L5 / DoD (login.microsoftonline.us)",
            "https://login.microsoftonline.us", "https://dod-graph.microsoft.us"),
    CHINA("china", "China, operated by 21Vianet (login.partner.microsoftonline.cn)",
            "https://login.partner.microsoftonline.cn", "https://microsoftgraph.chinacloudapi.cn");

    private final String id;
    private final String label;
    private final String loginHost;
    private final String graphHost;

    EntraCloud(String id, String label, String loginHost, String graphHost) {
        this.id = id;
        this.label = label;
        this.loginHost = loginHost;
        this.graphHost = graphHost;
    }

    /** Stable identifier stored in provider configuration. */
    public String id() {
        return id;
    }

    /** Human-readable name for the admin console. */
    public String label() {
        return label;
    }

    /**
     * The clouds for a console help text, each id with its label ("global: Global
     * (login.microsoftonline.com); ..."): the option list itself must show the ids, which are the
     * stored values.
     */
    public static String optionHelp() {
        return Arrays.stream(values()).map(c -> c.id + ": " + c.label).collect(java.util.stream.Collectors.joining("; ")) + ".";
    }

    /** Base URL of the sign-in and token service, without trailing slash. */
    public String loginHost() {
        return loginHost;
    }

    /** Base URL of Microsoft Graph, without trailing slash. */
    public String graphHost() {
        return graphHost;
    }

    /**
     * The scope an app-only (client credentials) request uses for Graph. It names the cloud's Graph
     * resource even when the requests themselves go to an overridden host (the simulator).
     */
    public String graphDefaultScope() {
        return graphHost + "/.default";
    }

    /**
     * The cloud of a stored id; blank means {@link #GLOBAL}.
     *
     * @throws IllegalArgumentException for an unknown id, naming the known ones
     */
    public static EntraCloud parse(String value) {
        if (value == null || value.isBlank()) {
            return GLOBAL;
        }
        return fromId(value).orElseThrow(() -> new IllegalArgumentException("Unknown cloud '" + value.trim() + "': use one of "
                + Arrays.stream(values()).map(EntraCloud::id).collect(java.util.stream.Collectors.joining(", ")) + "."));
    }

    /** The stored ids, the console's options. */
    public static java.util.List<String> ids() {
        return Arrays.stream(values()).map(EntraCloud::id).toList();
    }

    public static Optional<EntraCloud> fromId(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String normalized = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(c -> c.id.equals(normalized) || c.name().equalsIgnoreCase(normalized))
                .findFirst();
    }
}
