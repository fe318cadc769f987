package io.edgesync.cli.replay;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The differences between a replay's shadow table and the live {@code telemetry_data}, by key
 * (device_id, id): rows only in the shadow, rows only in the live table (within the replay's scope:
 * received in [from, to) — from defaults to the earliest {@code received_at} in the shadow — and of
 * the replay's devices), and rows in both whose values differ (any column but {@code synced_at}).
 * Counts are exact; each list holds the first {@code LIMIT} keys in key order.
 */
public record DiffReport(long shadowRows, long onlyInShadow, long onlyInLive, long differing,
                         List<String> onlyInShadowKeys, List<String> onlyInLiveKeys, List<String> differingKeys) {
    public static final int LIMIT = 20;

    private static final String DIFFERS = "s.sensor_id IS DISTINCT FROM l.sensor_id"
            + " OR s.\"timestamp\" IS DISTINCT FROM l.\"timestamp\" OR s.data_type IS DISTINCT FROM l.data_type"
            + " OR s.value IS DISTINCT FROM l.value OR s.unit IS DISTINCT FROM l.unit"
            + " OR s.metadata IS DISTINCT FROM l.metadata OR s.version IS DISTINCT FROM l.version"
            + " OR s.payload_hash IS DISTINCT FROM l.payload_hash OR s.received_at IS DISTINCT FROM l.received_at";

    /** The condition, on aliases {@code s} (shadow) and {@code l} (live), that a row differs. */
    static String differs() {
        return DIFFERS;
    }

    public boolean identical() {
        return onlyInShadow == 0 && onlyInLive == 0 && differing == 0;
    }

    public static DiffReport compute(DataSource db, ReplayPlan plan) throws SQLException {
        String shadow = plan.table();
        try (Connection c = db.getConnection()) {
            long rows = count(c, "SELECT count(*) FROM " + shadow);
            String onlyShadow = " FROM " + shadow + " s WHERE NOT EXISTS (SELECT 1 FROM telemetry_data l"
                    + " WHERE l.device_id = s.device_id AND l.id = s.id)";
            String differing = " FROM " + shadow + " s JOIN telemetry_data l ON l.device_id = s.device_id"
                    + " AND l.id = s.id WHERE " + DIFFERS;
            Instant from = plan.from();
            if (from == null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT min(received_at) FROM " + shadow);
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    Timestamp t = rs.getTimestamp(1);
                    from = t == null ? null : t.toInstant();
                }
            }
            List<Object> args = new ArrayList<>();
            StringBuilder scope = new StringBuilder(" FROM telemetry_data l WHERE NOT EXISTS (SELECT 1 FROM ")
                    .append(shadow).append(" s WHERE s.device_id = l.device_id AND s.id = l.id)");
            if (from != null) {
                scope.append(" AND l.received_at >= ?");
                args.add(java.time.OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
            }
            if (plan.to() != null) {
                scope.append(" AND l.received_at < ?");
                args.add(java.time.OffsetDateTime.ofInstant(plan.to(), java.time.ZoneOffset.UTC));
            }
            Set<String> devices = plan.devices();
            if (!devices.isEmpty()) {
                scope.append(" AND l.device_id = ANY(?)");
                args.add(devices);
            }
            if (from == null && rows == 0 && plan.to() == null && devices.isEmpty()) {
                // nothing replayed and no scope: every live row would be "only in live"; report none
                return new DiffReport(0, 0, 0, 0, List.of(), List.of(), List.of());
            }
            return new DiffReport(rows, count(c, "SELECT count(*)" + onlyShadow),
                    count(c, "SELECT count(*)" + scope, args.toArray()), count(c, "SELECT count(*)" + differing),
                    keys(c, "SELECT s.device_id, s.id" + onlyShadow + " ORDER BY s.device_id, s.id LIMIT " + LIMIT),
                    keys(c, "SELECT l.device_id, l.id" + scope + " ORDER BY l.device_id, l.id LIMIT " + LIMIT,
                            args.toArray()),
                    keys(c, "SELECT s.device_id, s.id" + differing + " ORDER BY s.device_id, s.id LIMIT " + LIMIT));
        }
    }

    public void print(PrintStream out, ReplayPlan plan) {
        out.printf("difference %s vs telemetry_data: %d rows replayed, %d only in the replay, %d only in live,"
                + " %d differ%s%n", plan.table(), shadowRows, onlyInShadow, onlyInLive, differing,
                identical() ? " (identical)" : "");
        print(out, "only in the replay", onlyInShadow, onlyInShadowKeys);
        print(out, "only in live", onlyInLive, onlyInLiveKeys);
        print(out, "differ", differing, differingKeys);
    }

    private static void print(PrintStream out, String what, long count, List<String> keys) {
        for (String key : keys) {
            out.println("  " + what + ": " + key);
        }
        if (count > keys.size()) {
            out.println("  " + what + ": ... and " + (count - keys.size()) + " more");
        }
    }

    private static long count(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> keys(Connection c, String sql, Object... args) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + "/" + rs.getString(2));
            }
        }
        return out;
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Set<?> set) {
                ps.setArray(i + 1, c.createArrayOf("text", set.toArray()));
            } else {
                ps.setObject(i + 1, args[i]);
            }
        }
        return ps;
    }
}
