package io.edgesync.sink.store;

import io.edgesync.shared.model.RecordOrdering;
import io.edgesync.shared.model.TelemetryRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes clean telemetry to {@code telemetry_data} with a guarded upsert: a row is replaced only
 * by a record that wins last-write-wins (version, timestamp, payload hash), so replays and late
 * losers change nothing, not even {@code synced_at}.
 */
public final class TelemetryWriter {
    /**
     * The last-write-wins guard both upserts end with: a row is replaced only by a record that wins by
     * (version, timestamp, payload hash), the order the stream processor decides by.
     */
    private static final String GUARD = Sql.load("upsert-telemetry-guard.sql");
    static final String UPSERT = Sql.load("upsert-telemetry.sql") + GUARD;
    static final String UPSERT_VALUES = Sql.load("upsert-telemetry-values.sql") + GUARD;
    private static final Comparator<TelemetryRecord> KEY_ORDER =
            Comparator.comparing(TelemetryRecord::deviceId).thenComparing(TelemetryRecord::id);

    private TelemetryWriter() {
    }

    /**
     * Keeps one record per (deviceId, id): the last-write-wins winner, in key order (so concurrent
     * writers lock rows in the same order).
     */
    public static List<TelemetryRecord> reduce(Iterable<TelemetryRecord> records) {
        Map<String, TelemetryRecord> winners = new LinkedHashMap<>();
        for (TelemetryRecord r : records) {
            winners.merge(r.identity(), r, (a, b) -> RecordOrdering.LAST_WRITE_WINS.compare(a, b) >= 0 ? a : b);
        }
        List<TelemetryRecord> sorted = new ArrayList<>(winners.values());
        sorted.sort(KEY_ORDER);
        return sorted;
    }

    /**
     * Upserts already reduced records in the caller's transaction with one statement: each column
     * is bound as one array and {@code unnest} turns the arrays back into rows (measured faster than
     * pgjdbc's rewritten multi-row VALUES batches; CockroachDB accepts the same statement).
     */
    public static void write(Connection c, List<TelemetryRecord> reduced) throws SQLException {
        write(c, reduced, "telemetry_data");
    }

    /**
     * As above into another table of the same shape (a replay's shadow table, created
     * {@code LIKE telemetry_data}); {@code table} must be a plain lower-case identifier.
     */
    public static void write(Connection c, List<TelemetryRecord> reduced, String table) throws SQLException {
        String sql = UPSERT.replace("telemetry_data", Sql.identifier(table));
        if (reduced.isEmpty()) {
            return;
        }
        int n = reduced.size();
        String[] device = new String[n];
        String[] id = new String[n];
        String[] sensor = new String[n];
        String[] timestamp = new String[n];
        String[] dataType = new String[n];
        Double[] value = new Double[n];
        String[] unit = new String[n];
        String[] metadata = new String[n];
        Integer[] version = new Integer[n];
        Long[] hash = new Long[n];
        String[] received = new String[n];
        for (int i = 0; i < n; i++) {
            TelemetryRecord r = reduced.get(i);
            device[i] = r.deviceId();
            id[i] = r.id();
            sensor[i] = r.sensorId();
            timestamp[i] = Instant.ofEpochMilli(r.timestamp()).toString();
            dataType[i] = r.dataType();
            value[i] = r.value();
            unit[i] = r.unit();
            metadata[i] = r.metadata() == null ? null : r.metadata().toString();
            version[i] = r.version();
            hash[i] = RecordOrdering.payloadHash(r);
            received[i] = r.receivedAt() == null ? null : Instant.ofEpochMilli(r.receivedAt()).toString();
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", device));
            ps.setArray(2, c.createArrayOf("text", id));
            ps.setArray(3, c.createArrayOf("text", sensor));
            ps.setArray(4, c.createArrayOf("text", timestamp));
            ps.setArray(5, c.createArrayOf("text", dataType));
            ps.setArray(6, c.createArrayOf("float8", value));
            ps.setArray(7, c.createArrayOf("text", unit));
            ps.setArray(8, c.createArrayOf("text", metadata));
            ps.setArray(9, c.createArrayOf("int4", version));
            ps.setArray(10, c.createArrayOf("int8", hash));
            ps.setArray(11, c.createArrayOf("text", received));
            ps.executeUpdate();
        }
    }

    /**
     * The same guarded upsert as a pgjdbc batch of single-row statements (rewritten into multi-row
     * VALUES by {@code reWriteBatchedInserts}): the baseline the benchmark measures against.
     */
    public static void writeBatched(Connection c, Collection<TelemetryRecord> reduced) throws SQLException {
        if (reduced.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT_VALUES)) {
            for (TelemetryRecord r : reduced) {
                bind(ps, r);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static void bind(PreparedStatement ps, TelemetryRecord r) throws SQLException {
        ps.setString(1, r.deviceId());
        ps.setString(2, r.id());
        ps.setString(3, r.sensorId());
        ps.setObject(4, Sql.time(r.timestamp()));
        ps.setString(5, r.dataType());
        ps.setDouble(6, r.value());
        ps.setString(7, r.unit());
        Sql.setJson(ps, 8, r.metadata());
        ps.setInt(9, r.version());
        ps.setLong(10, RecordOrdering.payloadHash(r));
        Sql.setTime(ps, 11, r.receivedAt());
    }
}
