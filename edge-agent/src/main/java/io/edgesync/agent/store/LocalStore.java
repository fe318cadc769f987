package io.edgesync.agent.store;

import io.edgesync.shared.files.SecretFiles;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.model.TelemetryRecord;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The agent's SQLite database in WAL mode. With durability {@code full} ({@code synchronous=FULL})
 * a record the API accepted survives a power cut; with {@code normal} it survives a crash of the
 * agent. One connection, guarded by this object's lock; SQLite serialises writers anyway. The
 * schema is migrated at open ({@link Migrations}). Holds at most {@link StoreOptions#maxRecords()}
 * records: settled (synced, failed) ones are pruned first, then the policy decides.
 */
public final class LocalStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStore.class);
    private static final String COLUMNS = "id, device_id, sensor_id, timestamp, data_type, value, unit, metadata, version";

    private final Connection connection;
    private final Clock clock;
    private final StoreOptions options;
    private final StoreBounds bounds;
    private long total;

    private LocalStore(Connection connection, Clock clock, StoreOptions options) {
        this.connection = connection;
        this.clock = clock;
        this.options = options;
        this.bounds = new StoreBounds(options);
    }

    public static LocalStore open(Path file, Clock clock) {
        return open(file, StoreOptions.defaults(), clock);
    }

    public static LocalStore open(Path file, StoreOptions options, Clock clock) {
        return open(file, options, clock, Migrations.latest());
    }

    /** Opens at a given schema version; tests use it to build an old store. */
    static LocalStore open(Path file, StoreOptions options, Clock clock, int schemaVersion) {
        try {
            // the store holds the device token: owner-only from the first byte; SQLite gives its -wal and
            // -shm files the database file's permissions
            SecretFiles.createIfAbsent(file);
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(options.durability() == StoreOptions.Durability.FULL
                    ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
            config.setBusyTimeout(10_000);
            config.enforceForeignKeys(true);
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
            LocalStore store = new LocalStore(c, Objects.requireNonNull(clock), Objects.requireNonNull(options));
            synchronized (store) {
                Migrations.migrate(c, schemaVersion);
                store.total = store.countWhere("1 = 1");
            }
            return store;
        } catch (SQLException e) {
            throw new StoreException("cannot open edge store " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized int schemaVersion() {
        try {
            return Migrations.currentVersion(connection);
        } catch (SQLException e) {
            throw new StoreException("cannot read schema version: " + e.getMessage(), e);
        }
    }

    /**
     * Stores records as pending, all or none. A record whose id is already stored is ignored.
     *
     * @throws StoreFullException when the policy is reject-new and the store is full of unsynced records
     */
    public int insert(Collection<TelemetryRecord> records) {
        return insertAll(List.of(records))[0];
    }

    /**
     * Stores several writers' records in one transaction (one commit, one fsync), all or none;
     * returns how many records of each writer were new. {@link GroupCommit} uses it.
     */
    synchronized int[] insertAll(List<? extends Collection<TelemetryRecord>> writes) {
        String sql = "INSERT OR IGNORE INTO telemetry_data (id, device_id, sensor_id, timestamp, data_type, value, unit,"
                + " metadata, version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        int size = writes.stream().mapToInt(Collection::size).sum();
        long before = total;
        try {
            return inTransaction(() -> {
                total -= bounds.makeRoom(connection, total, size);
                int[] inserted = new int[writes.size()];
                try (PreparedStatement ps = connection.prepareStatement(sql)) {
                    long now = clock.millis();
                    for (Collection<TelemetryRecord> write : writes) {
                        for (TelemetryRecord r : write) {
                            bind(ps, r, now);
                            ps.addBatch();
                        }
                    }
                    int[] counts = ps.executeBatch();
                    int row = 0;
                    for (int w = 0; w < inserted.length; w++) {
                        for (int i = 0; i < writes.get(w).size(); i++) {
                            inserted[w] += Math.max(0, counts[row++]);
                        }
                        total += inserted[w];
                    }
                }
                return inserted;
            });
        } catch (RuntimeException e) {
            total = before;
            throw e;
        }
    }

    private static void bind(PreparedStatement ps, TelemetryRecord r, long now) throws SQLException {
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
    }

    /** Marks up to {@code limit} of the oldest pending records as syncing and returns them. */
    public synchronized List<TelemetryRecord> claimPending(int limit) {
        return inTransaction(() -> {
            List<TelemetryRecord> claimed = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM telemetry_data WHERE sync_status = 'pending' ORDER BY rowid LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        claimed.add(read(rs));
                    }
                }
            }
            setStatus(claimed.stream().map(TelemetryRecord::id).toList(), "syncing", null);
            return claimed;
        });
    }

    private static TelemetryRecord read(ResultSet rs) throws SQLException {
        String meta = rs.getString(8);
        try {
            return new TelemetryRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                    rs.getString(5), rs.getDouble(6), rs.getString(7),
                    meta == null ? null : (ObjectNode) Json.mapper().readTree(meta), rs.getInt(9), null, null);
        } catch (IOException e) {
            throw new SQLException("stored metadata is not JSON", e);
        }
    }

    /** Settles a batch in one transaction: accepted records synced, refused ones failed with their reason. */
    public synchronized void settle(Collection<String> synced, Map<String, String> failedWithReason) {
        inTransaction(() -> {
            setStatus(synced, "synced", null);
            for (Map.Entry<String, String> f : failedWithReason.entrySet()) {
                setStatus(List.of(f.getKey()), "failed", f.getValue());
            }
            return null;
        });
    }

    public synchronized void markSynced(Collection<String> ids) {
        settle(ids, Map.of());
    }

    public synchronized void markFailed(String id, String reason) {
        settle(List.of(), Map.of(id, reason));
    }

    /** Returns records left {@code syncing} (a crash, a failed cycle) to pending. */
    public synchronized int releaseSyncing() {
        return inTransaction(() -> {
            try (Statement s = connection.createStatement()) {
                return s.executeUpdate("UPDATE telemetry_data SET sync_status = 'pending' WHERE sync_status = 'syncing'");
            }
        });
    }

    /** Deletes synced and failed records settled longer ago than the retention period. */
    public synchronized int pruneSettled() {
        return inTransaction(() -> {
            try (PreparedStatement ps = connection.prepareStatement("DELETE FROM telemetry_data"
                    + " WHERE sync_status IN ('synced', 'failed') AND sync_timestamp < ?")) {
                ps.setLong(1, clock.millis() - options.retention().toMillis());
                int pruned = ps.executeUpdate();
                total -= pruned;
                if (pruned > 0) {
                    LOG.info("event=settled_records_pruned reason=retention records={}", pruned);
                }
                return pruned;
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

    public synchronized long totalRecords() {
        return total;
    }

    private long countWhere(String where) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM telemetry_data WHERE " + where)) {
            return rs.getLong(1);
        }
    }

    public synchronized long droppedRecords() {
        return inTransaction(() -> AgentStateSql.getLong(connection, AgentStateSql.DROPPED_RECORDS));
    }

    /** A value of {@code agent_state}, or null. */
    public synchronized String state(String key) {
        return inTransaction(() -> AgentStateSql.get(connection, key));
    }

    public synchronized void putState(String key, String value) {
        inTransaction(() -> AgentStateSql.put(connection, key, value));
    }

    private static final int IDS_PER_UPDATE = 500;

    /** One UPDATE per 500 ids ({@code id IN (...)}), not one per record. */
    private int setStatus(Collection<String> ids, String status, String error) throws SQLException {
        List<String> all = List.copyOf(ids);
        long now = clock.millis();
        int updated = 0;
        for (int from = 0; from < all.size(); from += IDS_PER_UPDATE) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IDS_PER_UPDATE));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = connection.prepareStatement("UPDATE telemetry_data SET sync_status = ?,"
                    + " sync_timestamp = ?, last_error = ? WHERE id IN (" + marks + ")")) {
                ps.setString(1, status);
                ps.setLong(2, now);
                ps.setString(3, error);
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(4 + i, chunk.get(i));
                }
                updated += ps.executeUpdate();
            }
        }
        return updated;
    }

    Connection connection() {
        return connection;
    }

    Clock clock() {
        return clock;
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Runs work in one transaction on this store's connection (joining one already open). */
    synchronized <T> T inTransaction(SqlWork<T> work) {
        try {
            if (!connection.getAutoCommit()) {
                return work.run(); // nested: the outer transaction commits or rolls back
            }
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

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close edge store", e);
        }
    }
}
