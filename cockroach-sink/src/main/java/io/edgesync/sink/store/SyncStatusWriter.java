package io.edgesync.sink.store;

import io.edgesync.shared.model.DeviceSyncStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores {@code device.sync-stats} (running totals, not deltas) in {@code sync_status}: an older
 * {@code updatedAt} never replaces a newer one. Moves {@code devices.last_seen_at} forward where the
 * device is registered.
 */
public final class SyncStatusWriter {
    static final String UPSERT = Sql.load("upsert-sync-status.sql");
    static final String TOUCH_DEVICE = Sql.load("touch-device.sql");
    static final String MARK_REJECTED = Sql.load("mark-rejected.sql");

    private SyncStatusWriter() {
    }

    /** The latest totals per device, in device order. */
    public static List<DeviceSyncStats> reduce(Collection<DeviceSyncStats> stats) {
        Map<String, DeviceSyncStats> latest = new HashMap<>();
        for (DeviceSyncStats s : stats) {
            latest.merge(s.deviceId(), s, (a, b) -> b.updatedAt() >= a.updatedAt() ? b : a);
        }
        List<DeviceSyncStats> sorted = new ArrayList<>(latest.values());
        sorted.sort(Comparator.comparing(DeviceSyncStats::deviceId));
        return sorted;
    }

    public static void write(Connection c, Collection<DeviceSyncStats> reduced) throws SQLException {
        if (reduced.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (DeviceSyncStats s : reduced) {
                ps.setString(1, s.deviceId());
                ps.setObject(2, Sql.time(s.updatedAt()));
                Sql.setTime(ps, 3, s.lastRecordAt() > 0 ? s.lastRecordAt() : null);
                Sql.setTime(ps, 4, s.lastReceivedAt() > 0 ? s.lastReceivedAt() : null);
                ps.setLong(5, s.recordsAccepted());
                ps.setLong(6, s.duplicatesDropped());
                ps.setLong(7, s.conflicts());
                ps.setObject(8, Sql.time(s.updatedAt()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(TOUCH_DEVICE)) {
            boolean any = false;
            for (DeviceSyncStats s : reduced) {
                if (s.lastReceivedAt() > 0) {
                    ps.setObject(1, Sql.time(s.lastReceivedAt()));
                    ps.setString(2, s.deviceId());
                    ps.setObject(3, Sql.time(s.lastReceivedAt()));
                    ps.addBatch();
                    any = true;
                }
            }
            if (any) {
                ps.executeBatch();
            }
        }
    }

    /**
     * The sink's own outcome for devices whose records the database refused (sent to the DLQ):
     * {@code last_sync_status = 'rejected'} with the reason, unless a later report is stored
     * ({@code status_at}); the sink's ordering column {@code updated_at} of a new row is the epoch.
     */
    public static void markRejected(Connection c, Map<String, String> errorByDevice, long now) throws SQLException {
        if (errorByDevice.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(MARK_REJECTED)) {
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(errorByDevice).entrySet()) {
                ps.setString(1, e.getKey());
                ps.setString(2, e.getValue());
                ps.setObject(3, Sql.time(now));
                ps.setObject(4, Sql.time(0));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
