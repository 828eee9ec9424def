package dev.entrapbx.kc;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * One provider setting, declared once: its key, console label and help, stored default, options,
 * how a stored value is parsed into {@code T} and what makes it invalid. The factory's property list
 * ({@link Settings#properties}), the typed config class ({@link #get}, {@link #problem}) and README's
 * settings table ({@link Settings#markdownTable}) are all derived from it.
 *
 * <p>Reading: the stored value is trimmed; blank means the default; no default means {@code absent}
 * (for example {@code Optional.empty()}). A parser throws {@link IllegalArgumentException} with a
 * message that says what to fix; a validator returns such a message for a parsed value.
 *
 * @param <T> the typed value
 */
public final class Setting<T> {

    /** The stored values of a provider's configuration: the raw string of a key, or null when not set. */
    @FunctionalInterface
    public interface Values {
        String raw(String key);

        /** An identity provider's config: multi-valued settings are stored joined with "##". */
        static Values of(Map<String, String> config) {
            return config == null ? key -> null : config::get;
        }

        /** A component's config: the values of a multi-valued setting are joined with "##". */
        static Values of(MultivaluedHashMap<String, String> config) {
            return key -> {
                List<String> v = config == null ? null : config.get(key);
                List<String> set = v == null ? List.of() : v.stream().filter(s -> s != null && !s.isBlank()).toList();
                return set.isEmpty() ? null : String.join("##", set);
            };
        }
    }

    private final String key;
    private final String label;
    private final String help;
    private final String type;
    private final String defaultValue;
    private final List<String> options;
    private final boolean secret;
    private final boolean consoleField;
    private final String requiredMessage;
    private final Predicate<Values> appliesWhen;
    private final Function<String, T> parser;
    private final T absent;
    private final Function<T, Optional<String>> validator;
    private final String docDefault;
    private final String doc;

    private Setting(Builder<T> b) {
        this.key = b.key;
        this.label = b.label;
        this.help = b.help;
        this.type = b.type;
        this.defaultValue = b.defaultValue;
        this.options = List.copyOf(b.options);
        this.secret = b.secret;
        this.consoleField = b.consoleField;
        this.requiredMessage = b.requiredMessage;
        this.appliesWhen = b.appliesWhen;
        this.parser = b.parser;
        this.absent = b.absent;
        this.validator = b.validator;
        this.docDefault = b.docDefault;
        this.doc = b.doc;
    }

    // ---- declaring ----

    /** A free text value (STRING), empty when not set. */
    public static Builder<Optional<String>> text(String key) {
        return new Builder<>(key, ProviderConfigProperty.STRING_TYPE, Optional::of, Optional.empty());
    }

    /** A value of {@code type} parsed by {@code parser}; {@code absent} when neither set nor defaulted. */
    public static <T> Builder<T> of(String key, String type, Function<String, T> parser, T absent) {
        return new Builder<>(key, type, parser, absent);
    }

    /** An on/off switch (BOOLEAN) with its default. */
    public static Builder<Boolean> flag(String key, boolean dflt) {
        return new Builder<>(key, ProviderConfigProperty.BOOLEAN_TYPE, Boolean::parseBoolean, dflt)
                .defaultValue(String.valueOf(dflt)).docDefault(dflt ? "on" : "off");
    }

    /**
     * A whole number typed as text, with its default; anything else is refused with
     * "&lt;label&gt; must be a whole number; got '...'.".
     */
    public static Builder<Integer> number(String key, int dflt) {
        Builder<Integer> b = new Builder<>(key, ProviderConfigProperty.STRING_TYPE, null, dflt);
        b.parser = v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(b.label + " must be a whole number; got '" + v + "'.");
            }
        };
        return b.defaultValue(String.valueOf(dflt)).docDefault(String.valueOf(dflt));
    }

    /**
     * One of {@code values} (LIST), stored as its id (matched ignoring case); an unknown id is
     * refused with {@code unknown.apply(value)}.
     */
    @SafeVarargs
    public static <E> Builder<E> choice(String key, Function<E, String> id, Function<String, String> unknown, E dflt, E... values) {
        List<E> all = Arrays.asList(values);
        Builder<E> b = new Builder<E>(key, ProviderConfigProperty.LIST_TYPE, v -> all.stream()
                .filter(e -> id.apply(e).equalsIgnoreCase(v)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(unknown.apply(v))), dflt)
                .options(all.stream().map(id).toList());
        if (dflt != null) {
            b.defaultValue(id.apply(dflt)).docDefault("`" + id.apply(dflt) + "`");
        }
        return b;
    }

    /** A date typed as YYYY-MM-DD (STRING), empty when not set; anything else is refused with {@code notADate.apply(value)}. */
    public static Builder<Optional<LocalDate>> date(String key, Function<String, String> notADate) {
        return new Builder<>(key, ProviderConfigProperty.STRING_TYPE, v -> {
            try {
                return Optional.of(LocalDate.parse(v));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(notADate.apply(v));
            }
        }, Optional.empty());
    }

    /** Several values (MULTIVALUED_STRING), split on "##", new lines and {@code separators} (a regex alternative). */
    public static Builder<List<String>> list(String key, String separators) {
        String split = "##|\\n|" + separators;
        return new Builder<>(key, ProviderConfigProperty.MULTIVALUED_STRING_TYPE,
                v -> Arrays.stream(v.split(split)).map(String::trim).filter(s -> !s.isEmpty()).toList(), List.<String>of());
    }

    /** Builds a {@link Setting}; label and help are required. */
    public static final class Builder<T> {
        private final String key;
        private String type;
        private Function<String, T> parser;
        private T absent;
        private String label;
        private String help;
        private String defaultValue;
        private List<String> options = List.of();
        private boolean secret;
        private boolean consoleField = true;
        private String requiredMessage;
        private Predicate<Values> appliesWhen;
        private Function<T, Optional<String>> validator = v -> Optional.empty();
        private String docDefault;
        private String doc;

        private Builder(String key, String type, Function<String, T> parser, T absent) {
            this.key = key;
            this.type = type;
            this.parser = parser;
            this.absent = absent;
        }

        public Builder<T> label(String label) {
            this.label = label;
            return this;
        }

        public Builder<T> help(String help) {
            this.help = help;
            return this;
        }

        /** The console's field type (ProviderConfigProperty.*_TYPE). */
        public Builder<T> type(String type) {
            this.type = type;
            return this;
        }

        /** The stored form of the default, shown in the console and used when nothing is stored. */
        public Builder<T> defaultValue(String defaultValue) {
            this.defaultValue = defaultValue;
            return this;
        }

        public Builder<T> options(List<String> options) {
            this.options = options;
            return this;
        }

        /** A password field, masked in the console and kept out of toString() and logs. */
        public Builder<T> secret() {
            this.secret = true;
            this.type = ProviderConfigProperty.PASSWORD;
            return this;
        }

        /**
         * Refused when not set, with {@code message}. Without {@link #when} the console marks the field
         * required and README's default column says "required".
         */
        public Builder<T> required(String message) {
            this.requiredMessage = message;
            return this;
        }

        /** Checked (required, parsed, validated) only when {@code condition} holds for the other values. */
        public Builder<T> when(Predicate<Values> condition) {
            this.appliesWhen = condition;
            return this;
        }

        /** A rule on the parsed value: the problem in words that say what to fix, or empty. */
        public Builder<T> validator(Function<T, Optional<String>> validator) {
            this.validator = validator;
            return this;
        }

        /** A rule on the parsed value with one message: {@code message} unless {@code ok}. */
        public Builder<T> check(Predicate<T> ok, String message) {
            Function<T, Optional<String>> before = validator;
            this.validator = v -> before.apply(v).or(() -> ok.test(v) ? Optional.empty() : Optional.of(message));
            return this;
        }

        /** A field Keycloak's own form already shows (documented and checked here, not in our property list). */
        public Builder<T> builtIn() {
            this.consoleField = false;
            return this;
        }

        /** README's "Default" column (markdown), when the stored default does not say it. */
        public Builder<T> docDefault(String docDefault) {
            this.docDefault = docDefault;
            return this;
        }

        /** README's "What it does" column (markdown); the help text when not given. */
        public Builder<T> doc(String doc) {
            this.doc = doc;
            return this;
        }

        public Setting<T> build() {
            if (label == null || help == null) {
                throw new IllegalStateException("Setting " + key + " needs a label and a help text");
            }
            return new Setting<>(this);
        }
    }

    // ---- reading ----

    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    public String help() {
        return help;
    }

    public String type() {
        return type;
    }

    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public List<String> options() {
        return options;
    }

    public boolean isSecret() {
        return secret;
    }

    /** Shown by our property list (false: a field of Keycloak's own form). */
    public boolean isConsoleField() {
        return consoleField;
    }

    /** Required always (false when not required, or required only {@link Builder#when under a condition}). */
    public boolean isRequired() {
        return requiredMessage != null && appliesWhen == null;
    }

    /** The stored value, trimmed, when set (not the default). */
    public Optional<String> raw(Values values) {
        return Optional.ofNullable(values.raw(key)).map(String::trim).filter(s -> !s.isEmpty());
    }

    /**
     * The typed value: the stored one, else the default, else {@code absent}.
     *
     * @throws IllegalArgumentException when the value does not parse, in words that say what to fix
     */
    public T get(Values values) {
        Optional<String> v = raw(values).or(this::defaultValue);
        return v.isEmpty() ? absent : parser.apply(v.get());
    }

    /**
     * The typed value, or the default's (else {@code absent}) when the stored value does not parse:
     * for readers that must not fail on a value that save refuses anyway.
     */
    public T getOrDefault(Values values) {
        try {
            return get(values);
        } catch (IllegalArgumentException e) {
            return defaultValue == null ? absent : parser.apply(defaultValue);
        }
    }

    /**
     * What is wrong with this setting's value (missing, unparsable or invalid), or empty; nothing when
     * its condition does not hold (or cannot be told: the other setting reports its own problem).
     */
    public Optional<String> problem(Values values) {
        if (appliesWhen != null && !applies(values)) {
            return Optional.empty();
        }
        if (requiredMessage != null && raw(values).isEmpty()) {
            return Optional.of(requiredMessage);
        }
        try {
            return validator.apply(get(values));
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private boolean applies(Values values) {
        try {
            return appliesWhen.test(values);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** README's "Default" column. */
    public String docDefault() {
        if (docDefault != null) {
            return docDefault;
        }
        if (isRequired()) {
            return "required";
        }
        return defaultValue == null ? "-" : "`" + defaultValue + "`";
    }

    /** README's "What it does" column. */
    public String doc() {
        return doc != null ? doc : help;
    }

    @Override
    public String toString() {
        return "Setting[" + key + "]";
    }
}
