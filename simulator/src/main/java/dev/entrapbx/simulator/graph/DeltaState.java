package dev.entrapbx.simulator.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * What a delta $skiptoken / $deltatoken encodes: a position, never data.
 *
 * @param phase        SNAPSHOT pages through current objects (first round); CHANGES pages through the change log;
 *                     LINK is a delta link (the start of the next round)
 * @param from         SNAPSHOT: log head when the round started; CHANGES/LINK: changes after this sequence number
 * @param to           CHANGES: last sequence number of this round
 * @param cursor       SNAPSHOT: last object id emitted; CHANGES: last sequence number fully processed
 * @param memberOffset members@delta entries of the object at the cursor already sent (large groups span pages)
 * @param select       $select of the first request (null: default properties)
 * @param ids          $filter ids of the first request (null: all objects)
 * @param pageSize     $top of the first request, if any
 */
record DeltaState(String tenantId, String collection, long epoch, long expiryGeneration, long resyncGeneration,
                  Phase phase, long from, long to, String cursor, int memberOffset, List<String> select,
                  boolean membersTracked, List<String> ids, Integer pageSize) {

    enum Phase { SNAPSHOT, CHANGES, LINK }

    DeltaState next(Phase newPhase, long newFrom, long newTo, String newCursor, int newMemberOffset) {
        return new DeltaState(tenantId, collection, epoch, expiryGeneration, resyncGeneration, newPhase, newFrom, newTo,
                newCursor, newMemberOffset, select, membersTracked, ids, pageSize);
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("t", tenantId);
        o.put("k", collection);
        o.put("e", epoch);
        o.put("x", expiryGeneration);
        o.put("y", resyncGeneration);
        o.put("p", phase.name().substring(0, 1));
        o.put("f", from);
        o.put("h", to);
        if (cursor != null) {
            o.put("c", cursor);
        }
        if (memberOffset > 0) {
            o.put("m", memberOffset);
        }
        if (select != null) {
            ArrayNode a = o.putArray("s");
            select.forEach(a::add);
        }
        o.put("mt", membersTracked);
        if (ids != null) {
            ArrayNode a = o.putArray("i");
            ids.forEach(a::add);
        }
        if (pageSize != null) {
            o.put("n", pageSize);
        }
        return o;
    }

    static DeltaState fromJson(JsonNode o) {
        Phase phase = switch (o.path("p").asText()) {
            case "S" -> Phase.SNAPSHOT;
            case "C" -> Phase.CHANGES;
            case "L" -> Phase.LINK;
            default -> throw new IllegalArgumentException("unknown phase");
        };
        return new DeltaState(o.path("t").asText(), o.path("k").asText(), o.path("e").asLong(), o.path("x").asLong(),
                o.path("y").asLong(), phase, o.path("f").asLong(), o.path("h").asLong(),
                o.hasNonNull("c") ? o.get("c").asText() : null, o.path("m").asInt(0), strings(o.get("s")),
                o.path("mt").asBoolean(false), strings(o.get("i")), o.hasNonNull("n") ? o.get("n").asInt() : null);
    }

    private static List<String> strings(JsonNode array) {
        if (array == null || !array.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }
}
