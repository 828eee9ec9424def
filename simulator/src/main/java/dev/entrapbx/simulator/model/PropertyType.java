package dev.entrapbx.simulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.entrapbx.simulator.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Value types of directory object properties and their JSON form. */
public enum PropertyType {
    STRING,
    BOOLEAN,
    STRING_LIST,
    /** onPremisesExtensionAttributes: extensionAttribute1..15, each a string or null. */
    EXTENSION_ATTRIBUTES;

    public static final int EXTENSION_ATTRIBUTE_COUNT = 15;

    /** Converts and validates a Java value; null clears the property. */
    public Object normalise(String property, Object value) {
        if (value == null) {
            return null;
        }
        return switch (this) {
            case STRING -> {
                if (!(value instanceof String s)) {
                    throw invalid(property, "a string", value);
                }
                yield s;
            }
            case BOOLEAN -> {
                if (!(value instanceof Boolean b)) {
                    throw invalid(property, "a boolean", value);
                }
                yield b;
            }
            case STRING_LIST -> {
                if (!(value instanceof List<?> list) || list.stream().anyMatch(v -> !(v instanceof String))) {
                    throw invalid(property, "a list of strings", value);
                }
                yield List.copyOf(list.stream().map(String.class::cast).toList());
            }
            case EXTENSION_ATTRIBUTES -> {
                if (!(value instanceof Map<?, ?> map)) {
                    throw invalid(property, "an object of extensionAttribute1..15", value);
                }
                Map<String, String> out = new TreeMap<>();
                map.forEach((k, v) -> {
                    String key = String.valueOf(k);
                    extensionAttributeIndex(key);
                    if (v != null) {
                        if (!(v instanceof String s)) {
                            throw invalid(property + "/" + key, "a string", v);
                        }
                        out.put(key, s);
                    }
                });
                yield Map.copyOf(out);
            }
        };
    }

    public Object fromJson(String property, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return switch (this) {
            case STRING -> {
                if (!node.isTextual()) {
                    throw invalid(property, "a string", node);
                }
                yield node.asText();
            }
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    throw invalid(property, "a boolean", node);
                }
                yield node.asBoolean();
            }
            case STRING_LIST -> {
                if (!node.isArray()) {
                    throw invalid(property, "an array of strings", node);
                }
                List<String> out = new ArrayList<>();
                node.forEach(n -> {
                    if (!n.isTextual()) {
                        throw invalid(property, "an array of strings", node);
                    }
                    out.add(n.asText());
                });
                yield List.copyOf(out);
            }
            case EXTENSION_ATTRIBUTES -> {
                if (!node.isObject()) {
                    throw invalid(property, "an object", node);
                }
                Map<String, Object> values = new TreeMap<>();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    values.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().isTextual()
                            ? e.getValue().asText() : e.getValue());
                }
                yield normalise(property, values);
            }
        };
    }

    public JsonNode toJson(Object value) {
        if (value == null && this != EXTENSION_ATTRIBUTES) {
            return NullNode.getInstance();
        }
        return switch (this) {
            case STRING -> TextNode.valueOf((String) value);
            case BOOLEAN -> BooleanNode.valueOf((Boolean) value);
            case STRING_LIST -> {
                ArrayNode a = Json.array();
                ((List<?>) value).forEach(v -> a.add((String) v));
                yield a;
            }
            case EXTENSION_ATTRIBUTES -> {
                // Graph always returns all fifteen keys, null when unset.
                ObjectNode o = Json.object();
                Map<?, ?> map = value == null ? Map.of() : (Map<?, ?>) value;
                for (int i = 1; i <= EXTENSION_ATTRIBUTE_COUNT; i++) {
                    Object v = map.get("extensionAttribute" + i);
                    o.set("extensionAttribute" + i, v == null ? NullNode.getInstance() : TextNode.valueOf((String) v));
                }
                yield o;
            }
        };
    }

    /** 1..15 for "extensionAttributeN", else an exception. */
    public static int extensionAttributeIndex(String key) {
        if (key.startsWith("extensionAttribute")) {
            try {
                int n = Integer.parseInt(key.substring("extensionAttribute".length()));
                if (n >= 1 && n <= EXTENSION_ATTRIBUTE_COUNT) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // fall through
            }
        }
        throw new IllegalArgumentException("Unknown extension attribute '" + key + "' (extensionAttribute1..15)");
    }

    private static IllegalArgumentException invalid(String property, String expected, Object got) {
        return new IllegalArgumentException("Property '" + property + "' must be " + expected + ", got " + got);
    }
}
