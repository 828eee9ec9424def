package dev.entrapbx.directory;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;

/** Small JDBC helpers: IN-list placeholders and binding. */
final class Sql {

    private Sql() {
    }

    /** {@code ?, ?, ?} for {@code n} values. */
    static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    /** Binds the values from parameter {@code first}; returns the next parameter index. */
    static int bind(PreparedStatement ps, int first, List<String> values) throws SQLException {
        int i = first;
        for (String v : values) {
            ps.setString(i++, v);
        }
        return i;
    }
}
