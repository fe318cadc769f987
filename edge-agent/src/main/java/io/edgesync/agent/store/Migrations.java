package io.edgesync.agent.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;

/**
 * The local schema's versions, one SQL file each ({@code V<n>__<what>.sql} beside this class),
 * applied in order at start-up, each in its own transaction. The applied version is kept in
 * {@code PRAGMA user_version}, so a device on any older version catches up and a store newer than
 * this agent is refused rather than misread.
 */
final class Migrations {
    static final List<String> FILES = List.of("V1__edge_store.sql", "V2__pruning_index.sql",
            "V3__edge_schema_history.sql", "V4__edge_functions.sql", "V5__table_sync.sql");

    private Migrations() {
    }

    static int latest() {
        return FILES.size();
    }

    static int currentVersion(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.getInt(1);
        }
    }

    /** Migrates to {@code target}; returns the number of versions applied. */
    static int migrate(Connection connection, int target) throws SQLException {
        int current = currentVersion(connection);
        if (current > FILES.size()) {
            throw new SQLException("edge store schema version " + current + " is newer than this agent ("
                    + FILES.size() + ")");
        }
        int applied = 0;
        for (int v = current; v < target; v++) {
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement()) {
                for (String statement : resource(FILES.get(v)).split(";\\s*\\n")) {
                    if (!statement.isBlank()) {
                        s.execute(statement);
                    }
                }
                s.execute("PRAGMA user_version = " + (v + 1));
                connection.commit();
                applied++;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
        return applied;
    }

    private static String resource(String name) {
        try (InputStream in = Migrations.class.getResourceAsStream(name)) {
            return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
