package io.edgesync.sink.store;

import io.edgesync.shared.model.RecordOrdering;
import io.edgesync.shared.model.TelemetryRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
    static final String UPSERT = Sql.load("upsert-telemetry.sql");
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

    /** Upserts already reduced records in the caller's transaction; returns rows inserted or changed. */
    public static int write(Connection c, Collection<TelemetryRecord> reduced) throws SQLException {
        if (reduced.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (TelemetryRecord r : reduced) {
                bind(ps, r);
                ps.addBatch();
            }
            int changed = 0;
            for (int n : ps.executeBatch()) {
                changed += Math.max(n, 0);
            }
            return changed;
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
