package dev.entrapbx.directory;

import dev.entrapbx.kc.Jdbc;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A presence change as a feed row: type {@value #TYPE}, the member's user id, and the presence as
 * {@code GET .../presence} lists it. Presence is coalesced per member: writing a member's new row
 * deletes the member's earlier presence rows, so a consumer (or webhook) that is behind gets the
 * latest state once instead of every state in between, and a busy phone system's presence does not
 * grow the feed. Other rows are never touched; a cursor between deleted rows stays valid, as the
 * feed is read by "after sequence n".
 */
final class PresenceRow {

    static final String TYPE = "presence.changed";

    private PresenceRow() {
    }

    static void coalesce(Jdbc db, String organizationId, Collection<String> userIds) throws SQLException {
        List<String> ids = new ArrayList<>(userIds);
        for (int i = 0; i < ids.size(); i += EntryReader.CHUNK) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + EntryReader.CHUNK));
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM #ENTRAPBX_DIR_CHANGE WHERE ORG_ID = ? AND CHANGE_TYPE = ? AND USER_ID IN ("
                    + Jdbc.marks(chunk.size()) + ")")) {
                ps.setString(1, organizationId);
                ps.setString(2, TYPE);
                Jdbc.bind(ps, 3, chunk);
                ps.executeUpdate();
            }
        }
    }
}
