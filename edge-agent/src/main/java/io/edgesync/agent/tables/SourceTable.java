package io.edgesync.agent.tables;

import static io.edgesync.agent.tables.TableSource.quote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * A source table in a SQLite file another program writes. {@link #prepare()} adds, once, what
 * change tracking needs and nothing else: a {@code synced_at} column (null until the control plane
 * acknowledged the row), a {@code sync_version} column, a partial index of unsynced rows in time
 * order, and a trigger that, when the writing program updates a row, sets {@code synced_at} back to
 * null and bumps {@code sync_version} (so the later version is shipped and wins centrally). The
 * agent writes only those two columns; it never changes the journal mode, deletes or rewrites data.
 * Writers keep running: every write is short and waits on a busy timeout.
 */
final class SourceTable implements AutoCloseable {
    static final String SYNCED_AT = "synced_at";
    static final String VERSION = "sync_version";
    static final int BUSY_TIMEOUT_MS = 10_000;

    private final TableSource source;
    private final Connection connection;

    private SourceTable(TableSource source, Connection connection) {
        this.source = source;
        this.connection = connection;
    }

    /** Opens an existing file; a missing file is an error (the agent does not create files it does not own). */
    static SourceTable open(TableSource source) throws SQLException {
        if (!Files.isRegularFile(source.file())) {
            throw new SQLException("source file " + source.file() + " does not exist");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + source.file().toAbsolutePath(),
                config.toProperties());
        return new SourceTable(Objects.requireNonNull(source), c);
    }

    /** The idempotent migration; returns true when it changed the file. */
    boolean prepare() throws SQLException {
        Set<String> columns = columns();
        if (columns.isEmpty()) {
            throw new SQLException("table " + source.table() + " not found in " + source.file());
        }
        for (String required : source.timeColumn() == null ? List.of(source.keyColumn())
                : List.of(source.keyColumn(), source.timeColumn())) {
            if (!columns.contains(required)) {
                throw new SQLException("table " + source.table() + " has no column " + required);
            }
        }
        String t = quote(source.table());
        String index = quote("edgesync_unsynced_" + source.table());
        String trigger = quote("edgesync_changed_" + source.table());
        boolean changed = !columns.contains(SYNCED_AT) || !columns.contains(VERSION) || !exists("index", index)
                || !exists("trigger", trigger);
        if (!changed) {
            return false;
        }
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            Set<String> now = columns();
            if (!now.contains(SYNCED_AT)) {
                s.execute("ALTER TABLE " + t + " ADD COLUMN " + SYNCED_AT + " TEXT");
            }
            if (!now.contains(VERSION)) {
                s.execute("ALTER TABLE " + t + " ADD COLUMN " + VERSION + " INTEGER NOT NULL DEFAULT 0");
            }
            s.execute("CREATE INDEX IF NOT EXISTS " + index + " ON " + t + " (" + order() + ") WHERE "
                    + SYNCED_AT + " IS NULL");
            String key = quote(source.keyColumn());
            s.execute("CREATE TRIGGER IF NOT EXISTS " + trigger + " AFTER UPDATE ON " + t
                    + " WHEN NEW." + VERSION + " IS OLD." + VERSION + " AND NEW." + SYNCED_AT + " IS OLD." + SYNCED_AT
                    + " BEGIN UPDATE " + t + " SET " + VERSION + " = OLD." + VERSION + " + 1, " + SYNCED_AT
                    + " = NULL WHERE " + key + " = NEW." + key + "; END");
            connection.commit();
            return true;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** Up to {@code limit} unsynced rows in time order, leaving out the (key@version) in {@code skip}. */
    List<SourceRow> unsynced(int limit, Set<String> skip) throws SQLException {
        List<SourceRow> out = new ArrayList<>(limit);
        try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM " + quote(source.table())
                + " WHERE " + SYNCED_AT + " IS NULL ORDER BY " + order() + " LIMIT ?")) {
            ps.setInt(1, limit + skip.size());
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next() && out.size() < limit) {
                    SourceRow row = read(rs, meta);
                    if (!skip.contains(row.keyText() + "@" + row.version())) {
                        out.add(row);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Sets {@code synced_at} on rows the control plane acknowledged, in one short transaction, only
     * where the row is still the version sent (a row the writer changed meanwhile stays unsynced).
     * Returns the rows marked.
     */
    int markSynced(List<SourceRow> rows, String syncedAt) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        connection.setAutoCommit(false);
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + quote(source.table()) + " SET "
                + SYNCED_AT + " = ? WHERE " + quote(source.keyColumn()) + " = ? AND " + VERSION + " = ? AND "
                + SYNCED_AT + " IS NULL")) {
            for (SourceRow row : rows) {
                ps.setString(1, syncedAt);
                ps.setObject(2, row.key());
                ps.setLong(3, row.version());
                ps.addBatch();
            }
            int marked = 0;
            for (int n : ps.executeBatch()) {
                marked += Math.max(0, n);
            }
            connection.commit();
            return marked;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private SourceRow read(ResultSet rs, ResultSetMetaData meta) throws SQLException {
        ObjectNode values = JsonNodeFactory.instance.objectNode();
        long version = 0;
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            String name = meta.getColumnName(i);
            Object v = rs.getObject(i);
            if (name.equals(VERSION)) {
                version = v == null ? 0 : ((Number) v).longValue();
            } else if (!name.equals(SYNCED_AT)) {
                put(values, name, v);
            }
        }
        JsonNode keyNode = values.path(source.keyColumn());
        String keyText = keyNode.isTextual() ? keyNode.asText() : keyNode.toString();
        return new SourceRow(rs.getObject(source.keyColumn()), keyText, version, values);
    }

    private static void put(ObjectNode values, String name, Object v) {
        if (v == null) {
            values.putNull(name);
        } else if (v instanceof Integer i) {
            values.put(name, i.longValue());
        } else if (v instanceof Long l) {
            values.put(name, l);
        } else if (v instanceof Number n) {
            values.put(name, n.doubleValue());
        } else if (v instanceof String s) {
            values.put(name, s);
        }
        // BLOBs are not synced: no column type carries them
    }

    private String order() {
        return source.timeColumn() == null ? quote(source.keyColumn())
                : quote(source.timeColumn()) + ", " + quote(source.keyColumn());
    }

    private Set<String> columns() throws SQLException {
        Set<String> out = new HashSet<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA table_info(" + quote(source.table()) + ")")) {
            while (rs.next()) {
                out.add(rs.getString("name"));
            }
        }
        return out;
    }

    private boolean exists(String type, String quotedName) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?")) {
            ps.setString(1, type);
            ps.setString(2, quotedName.substring(1, quotedName.length() - 1));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a read connection: nothing to keep
        }
    }
}
