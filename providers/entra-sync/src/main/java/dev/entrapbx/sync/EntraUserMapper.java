package dev.entrapbx.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Entra user -> Keycloak user: the username, email, names and the attributes we write, and the
 * extension candidate taken from an Entra property. Pure: no Keycloak session, no SDK types.
 */
public final class EntraUserMapper {

    private static final Logger LOG = Logger.getLogger(EntraUserMapper.class);

    /** Keycloak attribute holding the Entra object id (immutable; the key of everything). */
    public static final String ATTR_OID = "entraObjectId";
    public static final String ATTR_TENANT = "entraTenantId";
    public static final String ATTR_UPN = "entraUserPrincipalName";
    /** The PBX extension. */
    public static final String ATTR_EXTENSION = "extension";
    /** Why the user needs an admin's attention, e.g. "extension-range-exhausted". */
    public static final String ATTR_FLAG = "entraSyncFlag";
    /** When the sync disabled the user (ISO-8601); deleted after the grace period. */
    public static final String ATTR_DISABLED_AT = "entraDisabledAt";
    public static final String ATTR_DISABLED_REASON = "entraDisabledReason";

    public static final String FLAG_RANGE_EXHAUSTED = "extension-range-exhausted";

    /**
     * Longest digit string the extension pattern is run on: more than any phone number (E.164 has at
     * most 15 digits) or extension needs, and short enough that a pattern's work stays small.
     * Longer values give no candidate (the range decides).
     */
    public static final int EXTENSION_INPUT_MAX = 64;
    /**
     * Character reads one extension match may make. A sensible pattern on 64 digits needs a few
     * hundred; a catastrophically backtracking one is abandoned after this many (milliseconds), so
     * one Entra property cannot hang a sync.
     */
    static final int EXTENSION_MATCH_STEPS = 100_000;

    /** Graph property -> Keycloak attribute, always mapped. */
    public static final Map<String, String> STANDARD_ATTRIBUTES;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("jobTitle", "jobTitle");
        m.put("department", "department");
        m.put("businessPhones", "businessPhones");
        m.put("mobilePhone", "mobilePhone");
        m.put("officeLocation", "officeLocation");
        m.put("employeeId", "employeeId");
        m.put("displayName", "displayName");
        for (int i = 1; i <= 15; i++) {
            m.put("extensionAttribute" + i, "entraExtensionAttribute" + i);
        }
        STANDARD_ATTRIBUTES = Map.copyOf(m);
    }

    /** Properties the delta query always selects, besides the mapped ones. */
    static final List<String> BASE_PROPERTIES = List.of("id", "userPrincipalName", "mail", "givenName", "surname",
            "displayName", "accountEnabled", "userType", "jobTitle", "department", "businessPhones", "mobilePhone",
            "officeLocation", "employeeId", "onPremisesExtensionAttributes");

    public static final List<String> EXTENSION_SOURCES;

    static {
        List<String> s = new ArrayList<>(List.of("businessPhones[0]", "businessPhones[1]", "mobilePhone", "employeeId"));
        for (int i = 1; i <= 15; i++) {
            s.add("extensionAttribute" + i);
        }
        EXTENSION_SOURCES = List.copyOf(s);
    }

    private final EntraSyncConfig.UsernameSource usernameSource;
    private final List<EntraSyncConfig.Mapping> extra;
    private final Optional<String> extensionSource;
    private final Pattern extensionPattern;
    private final AtomicBoolean budgetWarned = new AtomicBoolean();

    public EntraUserMapper(EntraSyncConfig config) {
        this.usernameSource = config.usernameSource();
        this.extra = config.extraMappings();
        this.extensionSource = config.extensionMode() == EntraSyncConfig.ExtensionMode.ATTRIBUTE ? config.extensionSource() : Optional.empty();
        this.extensionPattern = config.extensionPattern();
    }

    public static boolean isKnownSource(String source) {
        return EXTENSION_SOURCES.contains(source);
    }

    /** The $select list: exactly the properties we map. */
    public List<String> selectedProperties() {
        Set<String> s = new LinkedHashSet<>(BASE_PROPERTIES);
        for (EntraSyncConfig.Mapping m : extra) {
            s.add(baseProperty(m.entraProperty()));
        }
        return List.copyOf(s);
    }

    private static String baseProperty(String p) {
        int cut = p.indexOf('[');
        if (cut < 0) {
            cut = p.indexOf('.');
        }
        String base = cut < 0 ? p : p.substring(0, cut);
        return base.startsWith("extensionAttribute") ? "onPremisesExtensionAttributes" : base;
    }

    /** Username as Keycloak stores it (lower case); empty when the source property is missing. */
    public Optional<String> username(EntraUser u) {
        Optional<String> v = usernameSource == EntraSyncConfig.UsernameSource.MAIL ? u.first("mail") : u.first("userPrincipalName");
        return v.map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty());
    }

    public Optional<String> email(EntraUser u) {
        return u.first("mail").map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> s.contains("@"));
    }

    /**
     * Every attribute we own on the Keycloak user, with its value; an empty list means "remove"
     * (the property was cleared in Entra). Does not include the extension or bookkeeping.
     */
    public Map<String, List<String>> attributes(EntraUser u, String tenantId) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        out.put(ATTR_OID, List.of(u.id()));
        out.put(ATTR_TENANT, List.of(tenantId));
        out.put(ATTR_UPN, u.first("userPrincipalName").map(List::of).orElse(List.of()));
        for (Map.Entry<String, String> e : STANDARD_ATTRIBUTES.entrySet()) {
            out.put(e.getValue(), clean(u.all(e.getKey())));
        }
        for (EntraSyncConfig.Mapping m : extra) {
            out.put(m.attribute(), clean(read(u, m.entraProperty())));
        }
        return out;
    }

    /** Reads "prop", "prop[i]" (i-th value) or "prop.sub" from the user's properties. */
    static List<String> read(EntraUser u, String path) {
        Matcher idx = Pattern.compile("^(\\w+)\\[(\\d+)]$").matcher(path);
        if (idx.matches()) {
            List<String> all = u.all(idx.group(1));
            int i = Integer.parseInt(idx.group(2));
            return i < all.size() ? List.of(all.get(i)) : List.of();
        }
        return u.all(path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path);
    }

    private static List<String> clean(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                out.add(v.trim());
            }
        }
        return out;
    }

    /**
     * The extension the configured Entra property suggests: its digits (everything else removed),
     * matched by the pattern (its first group, or the whole match). Empty when the mode is not
     * "attribute", the property is absent, nothing matches, the digits are longer than
     * {@value #EXTENSION_INPUT_MAX}, or the match exceeds its step budget.
     */
    public Optional<String> extensionCandidate(EntraUser u) {
        if (extensionSource.isEmpty()) {
            return Optional.empty();
        }
        List<String> v = read(u, extensionSource.get());
        if (v.isEmpty()) {
            return Optional.empty();
        }
        String digits = v.get(0).replaceAll("\\D", "");
        if (digits.isEmpty() || digits.length() > EXTENSION_INPUT_MAX) {
            return Optional.empty();
        }
        Matcher m = extensionPattern.matcher(new BudgetedChars(digits, EXTENSION_MATCH_STEPS));
        try {
            if (!m.find()) {
                return Optional.empty();
            }
        } catch (BudgetedChars.Exhausted e) {
            if (budgetWarned.compareAndSet(false, true)) {
                LOG.warnf("Extension pattern '%s' gave up after %d steps on the digits of user %s (and maybe others in this run): "
                        + "no extension candidate, the range decides. Use a simpler pattern such as %s.",
                        extensionPattern.pattern(), EXTENSION_MATCH_STEPS, u.id(), EntraSyncConfig.DEFAULT_EXTENSION_PATTERN);
            }
            return Optional.empty();
        }
        String found = m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group();
        return found.isEmpty() || found.length() > 15 ? Optional.empty() : Optional.of(found);
    }

    /**
     * The input of one match, counting every character the regex engine reads: java.util.regex
     * has no time limit, but it reads its input only through {@link #charAt}, so a budget here
     * bounds any pattern's work. Group extraction after the match reads through
     * {@link #subSequence} and is not counted.
     */
    static final class BudgetedChars implements CharSequence {

        /** The budget is spent; no stack trace, it is an expected outcome. */
        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super("regex step budget exhausted", null, false, false);
            }
        }

        private final String text;
        private int stepsLeft;

        BudgetedChars(String text, int steps) {
            this.text = text;
            this.stepsLeft = steps;
        }

        @Override
        public char charAt(int index) {
            if (--stepsLeft < 0) {
                throw new Exhausted();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.substring(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
