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
}
