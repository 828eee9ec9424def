package dev.entrapbx.sync;

import dev.entrapbx.core.EntraCloud;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;

/**
 * Typed, null-safe view of an {@code entra-users} component's configuration, with the defaults
 * the admin console shows. {@link #problems()} lists what is wrong, in words that say what to fix;
 * the factory refuses to save a component with problems.
 */
public final class EntraSyncConfig {

    // where users go
    public static final String ORGANIZATION = "organization";
    public static final String IDP_ALIAS = "identityProvider";
    // connection
    public static final String REUSE_IDP_CREDENTIALS = "reuseIdpCredentials";
    public static final String CLOUD = "entraCloud";
    public static final String TENANT = "entraTenant";
    public static final String CLIENT_ID = "clientId";
    public static final String CLIENT_SECRET = "clientSecret";
    public static final String AUTHORITY_HOST_OVERRIDE = "entraAuthorityHostOverride";
    // scope
    public static final String SCOPE = "scope";
    public static final String GROUP_IDS = "groupIds";
    public static final String FILTER = "filter";
    public static final String INCLUDE_GUESTS = "includeGuests";
    public static final String INCLUDE_DISABLED = "includeDisabledAccounts";
    // mapping
    public static final String USERNAME_SOURCE = "usernameSource";
    public static final String EXTRA_MAPPINGS = "extraMappings";
    public static final String SYNC_PHOTOS = "syncPhotos";
    // extensions
    public static final String EXTENSION_MODE = "extensionMode";
    public static final String EXTENSION_RANGE = "extensionRange";
    public static final String EXTENSION_SOURCE = "extensionSource";
    public static final String EXTENSION_PATTERN = "extensionPattern";
    public static final String QUARANTINE_DAYS = "extensionQuarantineDays";
    // deletions
    public static final String DELETE_GRACE_DAYS = "deleteGraceDays";
    public static final String GUARD_MAX_USERS = "guardMaxUsers";
    public static final String GUARD_MAX_PERCENT = "guardMaxPercent";
    // run log
    public static final String RUNS_KEPT = "runsKept";

    public static final String NEVER = "never";
    public static final String DEFAULT_EXTENSION_PATTERN = "(\\d{4})$";
    public static final String DEFAULT_RANGE = "1000-8999";

    public enum Scope {
        ALL("all"), GROUPS("groups"), FILTER("filter");

        private final String id;

        Scope(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        static Optional<Scope> fromId(String v) {
            return Arrays.stream(values()).filter(s -> s.id.equalsIgnoreCase(v.trim())).findFirst();
        }
    }

    public enum UsernameSource {
        UPN("userPrincipalName"), MAIL("mail");

        private final String id;

        UsernameSource(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        static Optional<UsernameSource> fromId(String v) {
            return Arrays.stream(values()).filter(s -> s.id.equalsIgnoreCase(v.trim())).findFirst();
        }
    }

    public enum ExtensionMode {
        RANGE("range"), ATTRIBUTE("attribute"), NONE("none");

        private final String id;

        ExtensionMode(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        static Optional<ExtensionMode> fromId(String v) {
            return Arrays.stream(values()).filter(s -> s.id.equalsIgnoreCase(v.trim())).findFirst();
        }
    }

    /** An inclusive range of extension numbers, e.g. 1000-8999. */
    public record Range(long from, long to) {
        @Override
        public String toString() {
            return from + "-" + to;
        }

        static Range parse(String v) {
            String[] parts = v.trim().split("\\s*-\\s*");
            if (parts.length != 2 || !parts[0].matches("\\d{1,15}") || !parts[1].matches("\\d{1,15}")) {
                throw new IllegalArgumentException("Extension range '" + v + "' must look like 1000-8999 (first and last number, digits only).");
            }
            Range r = new Range(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
            if (r.from > r.to) {
                throw new IllegalArgumentException("Extension range '" + v + "' ends before it starts: write the lower number first.");
            }
            return r;
        }
    }

    /** An extra "Entra property -> Keycloak attribute" pair. */
    public record Mapping(String entraProperty, String attribute) {
    }

    private final MultivaluedHashMap<String, String> config;

    public EntraSyncConfig(ComponentModel model) {
        this(model.getConfig());
    }

    public EntraSyncConfig(MultivaluedHashMap<String, String> config) {
        this.config = config == null ? new MultivaluedHashMap<>() : config;
    }

    private Optional<String> value(String key) {
        return Optional.ofNullable(config.getFirst(key)).map(String::trim).filter(s -> !s.isEmpty());
    }

    private List<String> values(String key) {
        List<String> out = new ArrayList<>();
        List<String> raw = config.get(key);
        if (raw != null) {
            for (String r : raw) {
                if (r == null) {
                    continue;
                }
                for (String part : r.split("##|\\n|,")) {
                    if (!part.isBlank()) {
                        out.add(part.trim());
                    }
                }
            }
        }
        return out;
    }

    private boolean flag(String key, boolean dflt) {
        return value(key).map(Boolean::parseBoolean).orElse(dflt);
    }

    public Optional<String> organization() {
        return value(ORGANIZATION);
    }

    public Optional<String> identityProviderAlias() {
        return value(IDP_ALIAS);
    }

    /** Default on: cloud, tenant, client id and credential come from the linked Entra IdP. */
    public boolean reuseIdpCredentials() {
        return flag(REUSE_IDP_CREDENTIALS, true);
    }

    public Optional<String> cloudRaw() {
        return value(CLOUD);
    }

    public Optional<String> tenant() {
        return value(TENANT);
    }

    public Optional<String> clientId() {
        return value(CLIENT_ID);
    }

    /** The secret or a vault reference; never logged. */
    public Optional<String> clientSecret() {
        return value(CLIENT_SECRET);
    }

    public Optional<String> authorityHostOverride() {
        return value(AUTHORITY_HOST_OVERRIDE);
    }

    public Scope scope() {
        return value(SCOPE).flatMap(Scope::fromId).orElse(Scope.ALL);
    }

    public List<String> groupIds() {
        return values(GROUP_IDS);
    }

    public Optional<String> filter() {
        return value(FILTER);
    }

    public boolean includeGuests() {
        return flag(INCLUDE_GUESTS, false);
    }

    public boolean includeDisabledAccounts() {
        return flag(INCLUDE_DISABLED, false);
    }

    public UsernameSource usernameSource() {
        return value(USERNAME_SOURCE).flatMap(UsernameSource::fromId).orElse(UsernameSource.UPN);
    }

    /** Extra pairs, "entraProperty=keycloakAttribute", one per line. */
    public List<Mapping> extraMappings() {
        List<Mapping> out = new ArrayList<>();
        for (String line : values(EXTRA_MAPPINGS)) {
            int eq = line.indexOf('=');
            if (eq <= 0 || eq == line.length() - 1) {
                throw new IllegalArgumentException("Extra mapping '" + line
                        + "' must be 'entraProperty=keycloakAttribute', e.g. 'companyName=company'.");
            }
            out.add(new Mapping(line.substring(0, eq).trim(), line.substring(eq + 1).trim()));
        }
        return out;
    }

    /** Default on: profile photos are fetched (when their ETag changed) and served with the picture claim. */
    public boolean syncPhotos() {
        return flag(SYNC_PHOTOS, true);
    }

    public ExtensionMode extensionMode() {
        return value(EXTENSION_MODE).flatMap(ExtensionMode::fromId).orElse(ExtensionMode.RANGE);
    }

    public Range extensionRange() {
        return Range.parse(value(EXTENSION_RANGE).orElse(DEFAULT_RANGE));
    }

    /** Entra property whose digits give the extension, e.g. businessPhones[0] or extensionAttribute1. */
    public Optional<String> extensionSource() {
        return value(EXTENSION_SOURCE);
    }

    /**
     * The pattern the extension is taken from. Save refuses one that {@link #backtrackingRisk} flags;
     * {@link EntraUserMapper} still runs every pattern on at most
     * {@value EntraUserMapper#EXTENSION_INPUT_MAX} digits and with a step budget, so a pattern
     * stored before the check (or one it misses) cannot hang a sync either.
     */
    public Pattern extensionPattern() {
        return Pattern.compile(value(EXTENSION_PATTERN).orElse(DEFAULT_EXTENSION_PATTERN));
    }

    /**
     * Why {@code regex} may backtrack catastrophically (exponential or high-polynomial time on
     * unlucky input), or empty when this conservative check finds no reason: a repeated group
     * ({@code *}, {@code +}, <code>{n,}</code>, <code>{n,m}</code> with m &gt; 1) that contains a variable
     * quantifier ({@code *}, {@code +}, {@code ?}, <code>{n,m}</code> with n &lt; m) or an alternation, at any
     * depth: {@code (a+)+}, {@code (a*)*}, {@code (a|aa)+}, {@code ((\d+)-)*}. Some harmless patterns
     * are flagged too, such as {@code (?:1|2)+}; extracting extension digits needs none of these.
     * The pattern must compile (checked before).
     */
    static Optional<String> backtrackingRisk(String regex) {
        Deque<GroupScan> groups = new ArrayDeque<>();
        groups.push(new GroupScan(0));
        int n = regex.length();
        int i = 0;
        while (i < n) {
            char c = regex.charAt(i);
            if (c == '(') {
                groups.push(new GroupScan(i));
                i = skipGroupPrefix(regex, i + 1);
                continue;
            }
            if (c == ')' && groups.size() > 1) {
                GroupScan group = groups.pop();
                Quantifier q = Quantifier.at(regex, i + 1);
                int end = q == null ? i + 1 : q.end();
                if (q != null && q.repeats() && (group.variable || group.alternation)) {
                    return Optional.of("Extension pattern '" + regex + "' can take exponential time on unlucky input: the repeated group '"
                            + regex.substring(group.start, end) + "' contains " + (group.variable ? "a quantifier" : "alternatives")
                            + ". Use a simpler pattern without a repeated group, e.g. (\\d{4})$ for the last four digits or "
                            + "^(\\d{3,4}) for the first three or four.");
                }
                GroupScan parent = groups.peek();
                parent.variable |= group.variable || q != null && q.variable();
                parent.alternation |= group.alternation;
                i = end;
                continue;
            }
            if (c == '|') {
                groups.peek().alternation = true;
                i++;
                continue;
            }
            int atomEnd = c == '\\' ? skipEscape(regex, i) : c == '[' ? skipClass(regex, i) : i + 1;
            Quantifier q = Quantifier.at(regex, atomEnd);
            if (q != null) {
                groups.peek().variable |= q.variable();
                atomEnd = q.end();
            }
            i = atomEnd;
        }
        return Optional.empty();
    }

    /** What the backtracking check knows about a group while it scans it. */
    private static final class GroupScan {
        final int start;
        boolean variable;
        boolean alternation;

        GroupScan(int start) {
            this.start = start;
        }
    }

    /** A quantifier read at some position: its bounds (max -1 = unbounded) and where it ends. */
    private record Quantifier(int min, int max, int end) {

        boolean repeats() {
            return max < 0 || max > 1;
        }

        boolean variable() {
            return max < 0 || min != max;
        }

        static Quantifier at(String s, int i) {
            if (i >= s.length()) {
                return null;
            }
            Quantifier q = switch (s.charAt(i)) {
                case '*' -> new Quantifier(0, -1, i + 1);
                case '+' -> new Quantifier(1, -1, i + 1);
                case '?' -> new Quantifier(0, 1, i + 1);
                case '{' -> braces(s, i);
                default -> null;
            };
            if (q != null && q.end < s.length() && (s.charAt(q.end) == '?' || s.charAt(q.end) == '+')) {
                return new Quantifier(q.min, q.max, q.end + 1); // lazy or possessive: same bounds
            }
            return q;
        }

        private static Quantifier braces(String s, int i) {
            int close = s.indexOf('}', i);
            if (close < 0) {
                return null;
            }
            String[] bounds = s.substring(i + 1, close).split(",", -1);
            try {
                int min = Integer.parseInt(bounds[0].trim());
                int max = bounds.length == 1 ? min : bounds[1].isBlank() ? -1 : Integer.parseInt(bounds[1].trim());
                return bounds.length > 2 ? null : new Quantifier(min, max, close + 1);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** After "(": skips "?:", "?=", "?!", "?>", "?<=", "?<!", "?<name>" and inline flags such as "?i:" or "?i". */
    private static int skipGroupPrefix(String s, int i) {
        if (i >= s.length() || s.charAt(i) != '?') {
            return i;
        }
        i++;
        if (i < s.length() && s.charAt(i) == '<') {
            if (i + 1 < s.length() && (s.charAt(i + 1) == '=' || s.charAt(i + 1) == '!')) {
                return i + 2;
            }
            int close = s.indexOf('>', i);
            return close < 0 ? s.length() : close + 1;
        }
        while (i < s.length() && (Character.isLetter(s.charAt(i)) || s.charAt(i) == '-')) {
            i++;
        }
        return i < s.length() && ":=!>".indexOf(s.charAt(i)) >= 0 ? i + 1 : i;
    }

    /** From a backslash: the index after the escape, quoting ({@code \Q...\E}) and braced or named forms included. */
    private static int skipEscape(String s, int i) {
        if (i + 1 >= s.length()) {
            return s.length();
        }
        char e = s.charAt(i + 1);
        if (e == 'Q') {
            int quoteEnd = s.indexOf("\\E", i + 2);
            return quoteEnd < 0 ? s.length() : quoteEnd + 2;
        }
        if ("pPxN".indexOf(e) >= 0 && i + 2 < s.length() && s.charAt(i + 2) == '{') {
            int close = s.indexOf('}', i + 2);
            return close < 0 ? s.length() : close + 1;
        }
        if (e == 'k' && i + 2 < s.length() && s.charAt(i + 2) == '<') {
            int close = s.indexOf('>', i + 2);
            return close < 0 ? s.length() : close + 1;
        }
        return i + 2;
    }

    /** From "[": the index after the matching "]" (nested classes and escapes included). */
    private static int skipClass(String s, int i) {
        int j = i + 1;
        if (j < s.length() && s.charAt(j) == '^') {
            j++;
        }
        if (j < s.length() && s.charAt(j) == ']') {
            j++; // a leading ']' is a literal
        }
        int depth = 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (c == '\\') {
                j += 2;
                continue;
            }
            if (c == '[') {
                depth++;
            } else if (c == ']' && --depth == 0) {
                return j + 1;
            }
            j++;
        }
        return s.length();
    }

    /** A freed extension is not given to anybody else for this long. */
    public Duration quarantine() {
        return Duration.ofDays(intValue(QUARANTINE_DAYS, 90));
    }

    /** Empty = never delete (users stay disabled); zero = delete at once. */
    public Optional<Duration> deleteGrace() {
        Optional<String> v = value(DELETE_GRACE_DAYS);
        if (v.isPresent() && v.get().equalsIgnoreCase(NEVER)) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofDays(intValue(DELETE_GRACE_DAYS, 30)));
    }

    /** 0 switches the absolute limit off. */
    public int guardMaxUsers() {
        return intValue(GUARD_MAX_USERS, 50);
    }

    /** 0 switches the percentage limit off. */
    public int guardMaxPercent() {
        return intValue(GUARD_MAX_PERCENT, 10);
    }

    public int runsKept() {
        return intValue(RUNS_KEPT, 50);
    }

    private int intValue(String key, int dflt) {
        Optional<String> v = value(key);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(label(key) + " must be a whole number; got '" + v.get() + "'.");
        }
    }

    private static String label(String key) {
        return switch (key) {
            case QUARANTINE_DAYS -> "Extension quarantine (days)";
            case DELETE_GRACE_DAYS -> "Delete after (days)";
            case GUARD_MAX_USERS -> "Guard: maximum users";
            case GUARD_MAX_PERCENT -> "Guard: maximum percent";
            case RUNS_KEPT -> "Runs kept";
            default -> key;
        };
    }

    /**
     * What is wrong with this configuration, each in words that say what to fix; empty when it can
     * be saved. Checks that need the realm (organization, IdP) are the factory's.
     */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (organization().isEmpty()) {
            p.add("Organization is required: the alias (or id) of the customer Organization whose members these users become.");
        }
        check(p, () -> value(SCOPE).ifPresent(v -> Scope.fromId(v).orElseThrow(() ->
                new IllegalArgumentException("Scope '" + v + "' is unknown: use all, groups or filter."))));
        if (scope() == Scope.GROUPS) {
            if (groupIds().isEmpty()) {
                p.add("Scope 'groups' needs at least one group object id (a GUID from Entra's Groups page).");
            }
            for (String g : groupIds()) {
                if (!dev.entrapbx.core.TenantSelector.isTenantId(g)) {
                    p.add("Group '" + g + "' is not an object id: use the group's Object ID (a GUID), not its name.");
                }
            }
        }
        if (scope() == Scope.FILTER && filter().isEmpty()) {
            p.add("Scope 'filter' needs an OData filter, e.g. department eq 'Sales'.");
        }
        check(p, () -> value(USERNAME_SOURCE).ifPresent(v -> UsernameSource.fromId(v).orElseThrow(() ->
                new IllegalArgumentException("Username source '" + v + "' is unknown: use userPrincipalName or mail."))));
        check(p, () -> {
            for (Mapping m : extraMappings()) {
                if (!m.entraProperty().matches("[A-Za-z][A-Za-z0-9]*(\\[\\d+])?(\\.[A-Za-z][A-Za-z0-9]*)?")) {
                    throw new IllegalArgumentException("Extra mapping: '" + m.entraProperty()
                            + "' is not a Graph user property name (e.g. companyName, businessPhones[1]).");
                }
                if (!m.attribute().matches("[A-Za-z0-9._-]+")) {
                    throw new IllegalArgumentException("Extra mapping: attribute name '" + m.attribute()
                            + "' may only contain letters, digits, '.', '_' and '-'.");
                }
            }
        });
        check(p, () -> value(EXTENSION_MODE).ifPresent(v -> ExtensionMode.fromId(v).orElseThrow(() ->
                new IllegalArgumentException("Extension mode '" + v + "' is unknown: use range, attribute or none."))));
        check(p, this::extensionRange);
        if (extensionMode() == ExtensionMode.ATTRIBUTE) {
            if (extensionSource().isEmpty()) {
                p.add("Extension mode 'attribute' needs the Entra property to take digits from, e.g. businessPhones[0] or extensionAttribute1.");
            } else if (!EntraUserMapper.isKnownSource(extensionSource().get())) {
                p.add("Extension source '" + extensionSource().get() + "' is not a supported Graph property: use one of "
                        + String.join(", ", EntraUserMapper.EXTENSION_SOURCES) + ".");
            }
            check(p, () -> {
                try {
                    extensionPattern();
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("Extension pattern is not a valid regular expression: " + e.getDescription() + ".");
                }
                backtrackingRisk(extensionPattern().pattern()).ifPresent(risk -> {
                    throw new IllegalArgumentException(risk);
                });
            });
        }
        check(p, () -> {
            if (quarantine().isNegative()) {
                throw new IllegalArgumentException("Extension quarantine cannot be negative (0 = reuse freed numbers at once).");
            }
        });
        check(p, () -> deleteGrace().ifPresent(g -> {
            if (g.isNegative()) {
                throw new IllegalArgumentException("Delete after (days) must be 0 or more, or 'never'.");
            }
        }));
        check(p, () -> {
            if (guardMaxUsers() < 0 || guardMaxPercent() < 0 || guardMaxPercent() > 100) {
                throw new IllegalArgumentException("Guard limits: maximum users 0 or more, maximum percent 0 to 100 (0 switches a limit off).");
            }
        });
        check(p, () -> {
            if (runsKept() < 1 || runsKept() > 10_000) {
                throw new IllegalArgumentException("Runs kept must be between 1 and 10000.");
            }
        });
        check(p, () -> cloudRaw().ifPresent(c -> EntraCloud.fromId(c).orElseThrow(() ->
                new IllegalArgumentException("Unknown cloud '" + c + "': use one of "
                        + String.join(", ", Arrays.stream(EntraCloud.values()).map(EntraCloud::id).toList()) + "."))));
        if (!reuseIdpCredentials()) {
            if (tenant().isEmpty()) {
                p.add("Tenant is required when the credentials are not taken from the Entra identity provider: "
                        + "the customer's tenant ID (GUID) or verified domain.");
            }
            if (clientId().isEmpty()) {
                p.add("Client ID is required when the credentials are not taken from the Entra identity provider.");
            } else if (!dev.entrapbx.core.TenantSelector.isTenantId(clientId().get())) {
                p.add("Client ID '" + clientId().get() + "' is not a GUID: copy the Application (client) ID of the app registration.");
            }
            if (clientSecret().isEmpty()) {
                p.add("Client secret is required when the credentials are not taken from the Entra identity provider "
                        + "(the secret's Value, or a vault reference such as ${vault.entra_secret}).");
            }
        }
        return p;
    }

    private static void check(List<String> problems, Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }

    /** The settings that matter for a run, without the secret. */
    @Override
    public String toString() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("organization", organization().orElse(null));
        m.put("identityProvider", identityProviderAlias().orElse(null));
        m.put("scope", scope().id());
        m.put("usernameSource", usernameSource().id());
        m.put("extensionMode", extensionMode().id());
        m.put("clientId", clientId().orElse(null));
        m.put("clientSecret", clientSecret().isPresent() ? "**********" : null);
        return "EntraSyncConfig" + m;
    }
}
