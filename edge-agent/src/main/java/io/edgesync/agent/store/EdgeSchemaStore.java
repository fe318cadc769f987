package io.edgesync.agent.store;

import io.edgesync.shared.model.EdgeInternalTables;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Edge schema migrations registered centrally, applied to the user's tables in this store. A plan's
 * migrations run in version order inside ONE SQLite transaction together with their
 * {@code edge_schema_history} rows: the first failure rolls all of them back, so the store is exactly
 * as before. Versions at or below the local version (read from {@code edge_schema_history}, never
 * from memory) are skipped, so a plan handed out again after a crash applies nothing twice. A
 * migration that changed the agent's internal tables or {@code PRAGMA user_version} is rolled back too.
 */
public final class EdgeSchemaStore {
    /** One migration of a plan. */
    public record Migration(long version, String description, String upSql) {
        public Migration {
            Objects.requireNonNull(upSql, "upSql");
        }
    }

    /** What {@link #apply} did: the versions applied now and the local version after. */
    public record Applied(List<Long> versions, long schemaVersion) {
    }

    /** A migration failed; nothing of the plan's migrations stayed. */
    public static final class MigrationFailed extends Exception {
        private final long version;

        MigrationFailed(long version, String message, Throwable cause) {
            super(message, cause);
            this.version = version;
        }

        public long version() {
            return version;
        }
    }

    private final LocalStore store;

    public EdgeSchemaStore(LocalStore store) {
        this.store = Objects.requireNonNull(store);
    }

    /** The highest version applied, 0 when none. */
    public long version() {
        return store.inTransaction(() -> version(store.connection()));
    }

    /** Versions applied, oldest first. */
    public List<Long> appliedVersions() {
        return store.inTransaction(() -> {
            List<Long> out = new ArrayList<>();
            try (Statement s = store.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT version FROM edge_schema_history ORDER BY version")) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        });
    }

    /** Applies {@code migrations} (in version order) above the local version, all or none. */
    public Applied apply(List<Migration> migrations, String syncId) throws MigrationFailed {
        List<Migration> ordered = new ArrayList<>(migrations);
        ordered.sort(java.util.Comparator.comparingLong(Migration::version));
        synchronized (store) {
            Connection c = store.connection();
            try {
                c.setAutoCommit(false);
                try {
                    Applied applied = applyInTransaction(c, ordered, syncId);
                    c.commit();
                    return applied;
                } catch (MigrationFailed | SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new StoreException("edge store cannot apply migrations: " + e.getMessage(), e);
            }
        }
    }

    private Applied applyInTransaction(Connection c, List<Migration> ordered, String syncId)
            throws SQLException, MigrationFailed {
        long current = version(c);
        List<Long> done = new ArrayList<>();
        String internalBefore = internalSchema(c);
        for (Migration m : ordered) {
            if (m.version() <= current) {
                continue;
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate(m.upSql());
            } catch (SQLException e) {
                throw new MigrationFailed(m.version(), "version " + m.version() + ": " + e.getMessage(), e);
            }
            if (!internalBefore.equals(internalSchema(c))) {
                throw new MigrationFailed(m.version(), "version " + m.version()
                        + ": the migration changed the agent's internal tables or PRAGMA user_version", null);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO edge_schema_history"
                    + " (version, description, checksum, sync_id, applied_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setLong(1, m.version());
                ps.setString(2, m.description());
                ps.setString(3, checksum(m.upSql()));
                ps.setString(4, syncId);
                ps.setLong(5, store.clock().millis());
                ps.executeUpdate();
            }
            current = m.version();
            done.add(m.version());
        }
        return new Applied(List.copyOf(done), current);
    }

    private static long version(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM edge_schema_history")) {
            return rs.getLong(1);
        }
    }

    /** The internal tables' schema objects and user_version (their rows are guarded by the dispatcher's check). */
    private static String internalSchema(Connection c) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")) {
            while (rs.next()) {
                if (EdgeInternalTables.isInternal(rs.getString(3))) {
                    out.append(rs.getString(1)).append(':').append(rs.getString(2)).append('=')
                            .append(rs.getString(4)).append('\n');
                }
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            out.append("user_version=").append(rs.getInt(1));
        }
        return out.toString();
    }

    static String checksum(String sql) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(sql.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
