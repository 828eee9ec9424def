package dev.entrapbx.directory;

import dev.entrapbx.kc.ContactsTouched;
import dev.entrapbx.kc.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A contact change as a feed row: type {@code contact.added}, {@code contact.updated} or
 * {@code contact.removed}; the row's data is the contact as {@code GET .../contacts} lists it (for
 * a removed one: its id, source and owner). Personal contacts carry their owner, so a consumer knows
 * whose phone book changed.
 */
record ContactRow(String contactId, String type, String data) {

    static final String PREFIX = "contact.";

    /** The rows of these changes, in order, with the contacts' state at commit. */
    static List<ContactRow> read(Jdbc db, List<ContactsTouched.Change> changes) throws SQLException {
        if (changes.isEmpty()) {
            return List.of();
        }
        Map<String, String> current = new HashMap<>();
        List<String> ids = changes.stream().filter(c -> !"removed".equals(c.type())).map(ContactsTouched.Change::contactId).distinct().toList();
        for (int i = 0; i < ids.size(); i += EntryReader.CHUNK) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + EntryReader.CHUNK));
            try (PreparedStatement ps = db.prepareStatement("SELECT ID, SOURCE, OWNER_ID, DATA FROM #ENTRAPBX_CONTACT WHERE ID IN ("
                    + Jdbc.marks(chunk.size()) + ")")) {
                Jdbc.bind(ps, 1, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        current.put(rs.getString(1), ContactsApi.item(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
            }
        }
        List<ContactRow> out = new ArrayList<>();
        for (ContactsTouched.Change c : changes) {
            String contact = current.get(c.contactId());
            if (contact == null) {
                // removed (or removed again later in the same transaction): who it was
                out.add(new ContactRow(c.contactId(), PREFIX + "removed", "{\"contact\":{\"id\":" + Json.write(c.contactId()) + ",\"source\":"
                        + Json.write(c.source()) + ",\"owner\":" + Json.write(c.ownerId()) + "}}"));
            } else {
                out.add(new ContactRow(c.contactId(), PREFIX + c.type(), "{\"contact\":" + contact + "}"));
            }
        }
        return out;
    }
}
