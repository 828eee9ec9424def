package dev.entrapbx.simulator.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.entrapbx.simulator.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an Outlook delta $skiptoken / $deltatoken encodes (contacts of one folder, or the contact folders of a
 * mailbox): a position in the mailbox's change numbers, never data.
 *
 * @param folder     folder number for contacts delta, 0 for contactFolders delta
 * @param epoch      the mailbox's epoch (a reset simulator issues tokens of another epoch)
 * @param generation the folder's (or the folder hierarchy's) expiry generation when the token was issued
 * @param from       the round covers changes after this number ...
 * @param to         ... up to this one (the head when the round started)
 * @param cursor     CHANGES: last object number sent; REMOVALS: change number of the last removal sent
 * @param select     selected properties, null when none were selected (all properties)
 */
record OutlookDeltaState(String tenantId, String mailbox, String collection, long folder, long epoch, long generation,
                         Phase phase, long from, long to, long cursor, List<String> select) {

    enum Phase { CHANGES, REMOVALS, LINK }

    /** The properties to return: the selected ones, else all of {@code properties}. */
    List<String> selectOr(List<String> properties) {
        return select != null ? select : properties;
    }

    OutlookDeltaState next(Phase p, long newCursor) {
        return new OutlookDeltaState(tenantId, mailbox, collection, folder, epoch, generation, p, from, to, newCursor,
                select);
    }

    /** The delta link of a finished round: the next round starts after {@code to}. */
    OutlookDeltaState link() {
        return new OutlookDeltaState(tenantId, mailbox, collection, folder, epoch, generation, Phase.LINK, to, 0, 0,
                select);
    }

    /** The first page of the round a delta link starts. */
    OutlookDeltaState startRound(long head) {
        return new OutlookDeltaState(tenantId, mailbox, collection, folder, epoch, generation, Phase.CHANGES, from,
                head, 0, select);
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("t", tenantId).put("u", mailbox).put("k", collection).put("f", folder).put("e", epoch)
                .put("x", generation).put("p", phase.name().substring(0, 1)).put("a", from).put("b", to)
                .put("c", cursor);
        if (select != null) {
            ArrayNode s = o.putArray("s");
            select.forEach(s::add);
        }
        return o;
    }

    static Optional<OutlookDeltaState> fromJson(JsonNode o) {
        Phase p = switch (o.path("p").asText()) {
            case "C" -> Phase.CHANGES;
            case "R" -> Phase.REMOVALS;
            case "L" -> Phase.LINK;
            default -> null;
        };
        if (p == null || !o.hasNonNull("u")) {
            return Optional.empty();
        }
        List<String> select = o.path("s").isArray() ? new ArrayList<>() : null;
        if (select != null) {
            o.get("s").forEach(n -> select.add(n.asText()));
        }
        return Optional.of(new OutlookDeltaState(o.path("t").asText(), o.path("u").asText(), o.path("k").asText(),
                o.path("f").asLong(), o.path("e").asLong(), o.path("x").asLong(), p, o.path("a").asLong(),
                o.path("b").asLong(), o.path("c").asLong(), select == null ? null : List.copyOf(select)));
    }
}
