package dev.entrapbx.simulator.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.json.Json;
import dev.entrapbx.simulator.model.DirectoryObject;
import dev.entrapbx.simulator.model.PropertyDef;

import java.util.Collection;
import java.util.Optional;

/** Turns users and groups into Graph JSON for a $select list. */
final class ObjectRenderer {
    private ObjectRenderer() { }

    /**
     * @param omitNulls leave out properties that are not set (delta's default representation) instead of
     *                  writing null (regular GET)
     * @param withType  add {@code @odata.type}, as collections of directoryObjects do
     */
    static ObjectNode render(DirectoryObject object, Collection<String> select, boolean omitNulls, boolean withType) {
        ObjectNode node = Json.object();
        if (withType) {
            node.put("@odata.type", "#microsoft.graph." + object.schema().odataName());
        }
        for (String name : select) {
            Optional<PropertyDef> def = object.schema().property(name);
            if (def.isEmpty()) {
                continue; // e.g. a user-only property selected on a mixed members collection
            }
            Object value = object.values().get(def.get().name());
            if (value == null && omitNulls) {
                continue;
            }
            node.set(def.get().name(), def.get().type().toJson(value));
        }
        return node;
    }
}
