package dev.entrapbx.simulator.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Common shape of users and groups: an immutable map of Graph properties described by a {@link Schema}. */
public abstract class DirectoryObject {
    private final Schema schema;
    private final Map<String, Object> values;

    protected DirectoryObject(Schema schema, Map<String, Object> values) {
        this.schema = schema;
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (PropertyDef def : schema.properties()) {
            Object v = values.get(def.name());
            if (v != null) {
                ordered.put(def.name(), v);
            }
        }
        this.values = Collections.unmodifiableMap(ordered);
    }

    public Schema schema() { return schema; }

    public String id() { return (String) values.get("id"); }

    /** Set (non-null) property values, in schema order. */
    public Map<String, Object> values() { return values; }

    /**
     * A property value by Graph name, or a sub-property path such as
     * {@code onPremisesExtensionAttributes/extensionAttribute3}; null when unset.
     */
    public Object get(String path) {
        int slash = path.indexOf('/');
        if (slash < 0) {
            return values.get(schema.require(path).name());
        }
        PropertyDef parent = schema.require(path.substring(0, slash));
        if (parent.type() != PropertyType.EXTENSION_ATTRIBUTES) {
            throw new IllegalArgumentException("Property '" + parent.name() + "' has no sub-properties");
        }
        String key = path.substring(slash + 1);
        PropertyType.extensionAttributeIndex(key);
        Map<?, ?> map = (Map<?, ?>) values.get(parent.name());
        return map == null ? null : map.get(key);
    }

    protected String string(String name) { return (String) values.get(name); }

    /** Names of the properties whose values differ between two versions of an object. */
    public static Set<String> changedProperties(DirectoryObject before, DirectoryObject after) {
        Set<String> changed = new TreeSet<>();
        for (PropertyDef def : after.schema.properties()) {
            if (!Objects.equals(before.values.get(def.name()), after.values.get(def.name()))) {
                changed.add(def.name());
            }
        }
        return changed;
    }

    /** Shared builder logic: validated property setting and JSON patches. */
    protected abstract static class AbstractBuilder<B extends AbstractBuilder<B>> {
        protected final Schema schema;
        protected final Map<String, Object> values = new LinkedHashMap<>();

        protected AbstractBuilder(Schema schema) {
            this.schema = schema;
        }

        @SuppressWarnings("unchecked")
        protected B self() { return (B) this; }

        /** Sets a writable property by Graph name; null clears it. */
        public B set(String name, Object value) {
            PropertyDef def = schema.require(name);
            if (def.readOnly() && !"id".equals(def.name()) && !"createdDateTime".equals(def.name())) {
                throw new IllegalArgumentException("Property '" + def.name() + "' is read-only");
            }
            Object v = def.type().normalise(def.name(), value);
            if (v == null) {
                values.remove(def.name());
            } else {
                values.put(def.name(), v);
            }
            return self();
        }

        /**
         * Applies a JSON patch in Graph's property names (unknown names are refused). Extension attributes are
         * merged key by key, as a PATCH of onPremisesExtensionAttributes does.
         */
        public B apply(JsonNode patch) {
            if (patch == null || !patch.isObject()) {
                throw new IllegalArgumentException("Expected a JSON object");
            }
            for (Map.Entry<String, JsonNode> e : patch.properties()) {
                if (!applyExtra(e.getKey(), e.getValue())) {
                    PropertyDef def = schema.require(e.getKey());
                    if (def.readOnly()) {
                        if ("id".equals(def.name())) {
                            set("id", def.type().fromJson("id", e.getValue()));
                            continue;
                        }
                        throw new IllegalArgumentException("Property '" + def.name() + "' is read-only");
                    }
                    Object v = def.type().fromJson(def.name(), e.getValue());
                    if (def.type() == PropertyType.EXTENSION_ATTRIBUTES && v != null) {
                        v = mergeExtensions(def.name(), e.getValue());
                    }
                    set(def.name(), v);
                }
            }
            return self();
        }

        private Object mergeExtensions(String name, JsonNode patch) {
            Map<String, Object> merged = new TreeMap<>();
            Object current = values.get(name);
            if (current instanceof Map<?, ?> m) {
                m.forEach((k, v) -> merged.put(String.valueOf(k), v));
            }
            patch.properties().forEach(f -> {
                PropertyType.extensionAttributeIndex(f.getKey());
                if (f.getValue().isNull()) {
                    merged.remove(f.getKey());
                } else {
                    merged.put(f.getKey(), f.getValue().asText());
                }
            });
            return merged;
        }

        /** Hook for non-Graph fields (e.g. a user's password); true when handled. */
        protected boolean applyExtra(String name, JsonNode value) {
            return false;
        }

        public Object value(String name) {
            return values.get(schema.require(name).name());
        }
    }
}
