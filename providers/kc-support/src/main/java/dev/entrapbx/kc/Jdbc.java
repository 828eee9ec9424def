package dev.entrapbx.kc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The transaction's JDBC connection, with table names qualified as Keycloak's own are: statements
 * name tables as {@code #TABLE}, and {@code #} becomes Keycloak's schema (its
 * {@code --db-schema}, e.g. on PostgreSQL) followed by a dot, or nothing when there is none.
 */
public final class Jdbc {

    private final Connection connection;
    private final String prefix;

    public Jdbc(Connection connection, String prefix) {
        this.connection = connection;
        this.prefix = prefix;
    }

    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return connection.prepareStatement(qualify(sql));
    }

    /** The database's product name, e.g. "PostgreSQL", "H2". */
    public String databaseProductName() throws SQLException {
        return connection.getMetaData().getDatabaseProductName();
    }

    public String qualify(String sql) {
        return sql.replace("#", prefix);
    }

    /** {@code ?, ?, ?} for {@code n} values. */
    public static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** Binds the values from parameter {@code first}; returns the next parameter index. */
    public static int bind(PreparedStatement ps, int first, java.util.List<String> values) throws SQLException {
        int i = first;
        for (String v : values) {
            ps.setString(i++, v);
        }
        return i;
    }

    /** An INSERT, UPDATE or DELETE with these parameters (String, Long, Integer, Boolean or null); the rows it changed. */
    public int update(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepareStatement(sql)) {
            set(ps, params);
            return ps.executeUpdate();
        }
    }

    /** Sets parameters 1.. to {@code params} by their type (null untyped). */
    public static void set(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object v = params[i];
            if (v == null) {
                ps.setNull(i + 1, java.sql.Types.NULL); // untyped: the column decides (PostgreSQL refuses a typed VARCHAR null in a BIGINT)
            } else if (v instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (v instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (v instanceof Boolean b) {
                ps.setBoolean(i + 1, b);
            } else {
                ps.setString(i + 1, v.toString());
            }
        }
    }
}
