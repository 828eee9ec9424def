package dev.entrapbx.harness;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * Where Keycloak keeps its data: H2 in the Keycloak home ({@code dev-file}, the default), or a
 * PostgreSQL server (what production uses).
 */
public record Database(Kind kind, String url, String username, String password) {

    public enum Kind { H2, POSTGRES }

    public static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    public static Database h2() {
        return new Database(Kind.H2, null, null, null);
    }

    public static Database postgres(String url, String username, String password) {
        return new Database(Kind.POSTGRES, url == null ? DEFAULT_POSTGRES_URL : url,
                username == null ? "postgres" : username, password == null ? "" : password);
    }

    /** Parses "h2" / "postgres" as given to --db or -Dentrapbx.db. */
    public static Database fromName(String name, String url, String username, String password) {
        return switch (name == null ? "h2" : name.toLowerCase(Locale.ROOT)) {
            case "h2", "dev-file" -> h2();
            case "postgres", "postgresql" -> postgres(url, username, password);
            default -> throw new IllegalArgumentException("Unknown database '" + name + "': use h2 or postgres");
        };
    }

    /** The Keycloak options selecting this database. */
    public List<String> keycloakOptions(String schema) {
        if (kind == Kind.H2) {
            return List.of("--db=dev-file");
        }
        // the password goes through the environment (KC_DB_PASSWORD), never the command line (ps)
        return List.of("--db=postgres", "--db-url=" + url, "--db-username=" + username, "--db-schema=" + schema);
    }

    /**
     * Checks that PostgreSQL answers, and drops the schema when {@code fresh}, so a test run starts
     * from an empty database. Says clearly what to do when there is no server.
     */
    public void preparePostgres(String schema, boolean fresh) {
        if (kind != Kind.POSTGRES) {
            return;
        }
        if (!schema.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Bad schema name " + schema);
        }
        try (Connection c = DriverManager.getConnection(url, username, password); Statement st = c.createStatement()) {
            if (fresh) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
            st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable at " + url + " as '" + username + "': " + e.getMessage()
                    + "\n  Start a PostgreSQL server or point the run at one: --db-url jdbc:postgresql://HOST:5432/DB"
                    + " --db-user USER --db-password PASS (tests: -Dentrapbx.db.url=... -Dentrapbx.db.user=... -Dentrapbx.db.password=...).", e);
        }
    }

    @Override
    public String toString() {
        return kind == Kind.H2 ? "H2 (dev-file)" : "PostgreSQL " + url + " as " + username; // never the password
    }
}
