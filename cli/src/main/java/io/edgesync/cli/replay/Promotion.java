package io.edgesync.cli.replay;

import io.edgesync.shared.db.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Makes the live {@code telemetry_data} agree with a replay's shadow table: every shadow row that is
 * missing live or differs replaces the live row (without the last-write-wins guard: the replay's
 * decision is what is being promoted), one page of keys per transaction; the shadow conflict log is
 * added to {@code conflict_log} (same ids: nothing is logged twice). Rows only in live are left alone.
 */
final class Promotion {
    static final int PAGE = 5_000;
    private static final String COLUMNS = "device_id, id, sensor_id, \"timestamp\", data_type, value, unit, metadata,"
            + " version, payload_hash, received_at";

    private Promotion() {
    }

    /** What a promotion changed. */
    record Result(long rowsWritten, long conflictsAdded) {
    }

    static Result promote(DataSource db, ReplayPlan plan) throws SQLException {
        Transactions tx = new Transactions(db);
        String shadow = plan.table();
        String upsert = "INSERT INTO telemetry_data (" + COLUMNS + ", synced_at) SELECT s.device_id, s.id, s.sensor_id,"
                + " s.\"timestamp\", s.data_type, s.value, s.unit, s.metadata, s.version, s.payload_hash, s.received_at,"
                + " now() FROM " + shadow + " s WHERE (s.device_id, s.id) > (?, ?) AND (s.device_id, s.id) <= (?, ?)"
                + " AND NOT EXISTS (SELECT 1 FROM telemetry_data l WHERE l.device_id = s.device_id AND l.id = s.id"
                + " AND NOT (" + DiffReport.differs() + "))"
                + " ON CONFLICT (device_id, id) DO UPDATE SET sensor_id = excluded.sensor_id,"
                + " \"timestamp\" = excluded.\"timestamp\", data_type = excluded.data_type, value = excluded.value,"
                + " unit = excluded.unit, metadata = excluded.metadata, version = excluded.version,"
                + " payload_hash = excluded.payload_hash, received_at = excluded.received_at,"
                + " synced_at = excluded.synced_at";
        String page = "SELECT device_id, id FROM " + shadow + " WHERE (device_id, id) > (?, ?)"
                + " ORDER BY device_id, id LIMIT " + PAGE;
        long written = 0;
        String[] after = {"", ""};
        while (true) {
            List<String[]> keys = new ArrayList<>();
            try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(page)) {
                ps.setString(1, after[0]);
                ps.setString(2, after[1]);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
            }
            if (keys.isEmpty()) {
                break;
            }
            String[] last = keys.get(keys.size() - 1);
            String[] from = after.clone();
            written += tx.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(upsert)) {
                    ps.setString(1, from[0]);
                    ps.setString(2, from[1]);
                    ps.setString(3, last[0]);
                    ps.setString(4, last[1]);
                    return (long) ps.executeUpdate();
                }
            });
            after = last;
        }
        long conflicts = tx.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO conflict_log (id, device_id, record_id,"
                    + " conflict_type, incoming, current_value, resolved, strategy, detected_at) SELECT id, device_id,"
                    + " record_id, conflict_type, incoming, current_value, resolved, strategy, detected_at FROM "
                    + plan.conflictTable() + " ON CONFLICT (id) DO NOTHING")) {
                return (long) ps.executeUpdate();
            }
        });
        return new Result(written, conflicts);
    }
}
