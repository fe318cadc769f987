package io.edgesync.agent.store;

import io.edgesync.shared.json.Json;
import io.edgesync.shared.model.TelemetryRecord;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.sqlite.SQLiteConfig;

/**
 * The agent's SQLite database, in WAL mode with {@code synchronous=FULL}: a record the API
 * accepted survives a power cut. One connection, guarded by this object's lock; SQLite
 * serialises writers anyway. Schema versions are tracked in {@code PRAGMA user_version}.
 */
public final class LocalStore implements AutoCloseable {
    private static final List<String> MIGRATIONS = List.of("V1__edge_store.sql");

    private final Connection connection;
    private final Clock clock;

    private LocalStore(Connection connection, Clock clock) {
        this.connection = connection;
        this.clock = clock;
    }

    public static LocalStore open(Path file, Clock clock) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setBusyTimeout(10_000);
            config.enforceForeignKeys(true);
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
            LocalStore store = new LocalStore(c, Objects.requireNonNull(clock));
            store.migrate();
            return store;
        } catch (SQLException e) {
            throw new StoreException("cannot open edge store " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void migrate() throws SQLException {
        int current;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            current = rs.getInt(1);
        }
        for (int v = current; v < MIGRATIONS.size(); v++) {
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement()) {
                for (String statement : resource(MIGRATIONS.get(v)).split(";\\s*\\n")) {
                    if (!statement.isBlank()) {
                        s.execute(statement);
                    }
                }
                s.execute("PRAGMA user_version = " + (v + 1));
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** Stores records as pending, all or none. A record whose id is already stored is ignored. */
    public synchronized int insert(Collection<TelemetryRecord> records) {
        String sql = "INSERT OR IGNORE INTO telemetry_data (id, device_id, sensor_id, timestamp, data_type, value, unit,"
                + " metadata, version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        return inTransaction(() -> {
            int inserted = 0;
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                long now = clock.millis();
                for (TelemetryRecord r : records) {
                    ps.setString(1, r.id());
                    ps.setString(2, r.deviceId());
                    ps.setString(3, r.sensorId());
                    ps.setLong(4, r.timestamp());
                    ps.setString(5, r.dataType());
                    ps.setDouble(6, r.value());
                    ps.setString(7, r.unit());
                    ps.setString(8, r.metadata() == null ? null : r.metadata().toString());
                    ps.setInt(9, r.version());
                    ps.setLong(10, now);
                    inserted += ps.executeUpdate();
                }
            }
            return inserted;
        });
    }

    /** Marks up to {@code limit} of the oldest pending records as syncing and returns them. */
    public synchronized List<TelemetryRecord> claimPending(int limit) {
        return inTransaction(() -> {
            List<TelemetryRecord> claimed = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT id, device_id, sensor_id, timestamp, data_type, value, unit, metadata, version"
                            + " FROM telemetry_data WHERE sync_status = 'pending' ORDER BY rowid LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String meta = rs.getString(8);
                        claimed.add(new TelemetryRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getLong(4), rs.getString(5), rs.getDouble(6), rs.getString(7),
                                meta == null ? null : (ObjectNode) Json.mapper().readTree(meta), rs.getInt(9),
                                null, null));
                    }
                } catch (IOException e) {
                    throw new SQLException("stored metadata is not JSON", e);
                }
            }
            setStatus(claimed.stream().map(TelemetryRecord::id).toList(), "syncing", null);
            return claimed;
        });
    }

    public synchronized void markSynced(Collection<String> ids) {
        inTransaction(() -> setStatus(ids, "synced", null));
    }

    public synchronized void markFailed(String id, String reason) {
        inTransaction(() -> setStatus(List.of(id), "failed", reason));
    }

    /** Returns records left {@code syncing} (a crash, a failed cycle) to pending. */
    public synchronized int releaseSyncing() {
        return inTransaction(() -> {
            try (Statement s = connection.createStatement()) {
                return s.executeUpdate("UPDATE telemetry_data SET sync_status = 'pending' WHERE sync_status = 'syncing'");
            }
        });
    }

    public synchronized long count(String syncStatus) {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT count(*) FROM telemetry_data WHERE sync_status = ?")) {
            ps.setString(1, syncStatus);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot count records: " + e.getMessage(), e);
        }
    }

    public synchronized void logSync(String direction, long startedAt, int sent, int accepted, int rejected,
                                     String status, String error) {
        inTransaction(() -> {
            try (PreparedStatement ps = connection.prepareStatement("INSERT INTO sync_log (direction, started_at,"
                    + " finished_at, sent, accepted, rejected, status, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, direction);
                ps.setLong(2, startedAt);
                ps.setLong(3, clock.millis());
                ps.setInt(4, sent);
                ps.setInt(5, accepted);
                ps.setInt(6, rejected);
                ps.setString(7, status);
                ps.setString(8, error);
                return ps.executeUpdate();
            }
        });
    }

    private int setStatus(Collection<String> ids, String status, String error) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE telemetry_data SET sync_status = ?, sync_timestamp = ?, last_error = ? WHERE id = ?")) {
            long now = clock.millis();
            for (String id : ids) {
                ps.setString(1, status);
                ps.setLong(2, now);
                ps.setString(3, error);
                ps.setString(4, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return ids.size();
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private <T> T inTransaction(SqlWork<T> work) {
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run();
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("edge store write failed: " + e.getMessage(), e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = LocalStore.class.getResourceAsStream(name)) {
            return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close edge store", e);
        }
    }
}
