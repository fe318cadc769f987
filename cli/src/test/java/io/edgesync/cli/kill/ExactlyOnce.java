package io.edgesync.cli.kill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.DeviceSyncStats;
import io.edgesync.testsupport.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * What every kill test proves, counted where a duplicate or a loss could actually show: the
 * records each edge store holds as acknowledged ({@code synced}) are exactly the rows of
 * {@code telemetry_data} (same values), each identity is in {@code telemetry.clean} exactly once as
 * a {@code read_committed} consumer sees it, and the processor's per-device counter of accepted
 * records ({@code device.sync-stats}) equals the number of identities.
 */
final class ExactlyOnce {
    private ExactlyOnce() {
    }

    /** deviceId/id → value of every record an edge store marks synced (acknowledged by the gateway). */
    static Map<String, Double> acknowledged(Path sqlite) throws SQLException {
        Map<String, Double> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT device_id, id, value FROM telemetry_data "
                     + "WHERE sync_status = 'synced'")) {
            while (rs.next()) {
                out.put(rs.getString(1) + "/" + rs.getString(2), rs.getDouble(3));
            }
        }
        return out;
    }

    static long notYetAcknowledged(Path sqlite) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM telemetry_data WHERE sync_status <> 'synced'")) {
            return rs.getLong(1);
        }
    }

    static long rows(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM telemetry_data")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The checks above, against everything acknowledged to the edge. */
    static void verify(String bootstrap, DataSource db, Map<String, Double> acknowledged) throws SQLException {
        // telemetry_data: exactly the acknowledged records, with their values (the primary key keeps each once)
        Map<String, Double> table = new HashMap<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT device_id, id, value FROM telemetry_data")) {
            while (rs.next()) {
                table.put(rs.getString(1) + "/" + rs.getString(2), rs.getDouble(3));
            }
        }
        assertEquals(acknowledged.size(), table.size(), "rows in telemetry_data vs records acknowledged to the edge");
        assertEquals(new TreeMap<>(acknowledged), new TreeMap<>(table), "telemetry_data vs acknowledged records");

        // telemetry.clean, read_committed: every identity exactly once
        Map<String, Long> clean = KafkaTopics.telemetryCopies(bootstrap, Topics.TELEMETRY_CLEAN.name(), null);
        Map<String, Long> duplicated = clean.entrySet().stream().filter(e -> e.getValue() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertEquals(Map.of(), duplicated, "identities in telemetry.clean more than once (read_committed)");
        assertEquals(new TreeMap<>(acknowledged).keySet(), new TreeMap<>(clean).keySet(),
                "identities in telemetry.clean vs acknowledged records");
    }

    /** deviceId → recordsAccepted of the latest device.sync-stats record (exact only under exactly-once). */
    static Map<String, Long> acceptedCounters(String bootstrap) {
        Map<String, Long> latest = new HashMap<>();
        KafkaTopics.forEach(bootstrap, Topics.DEVICE_SYNC_STATS.name(), r -> latest.put(
                new String(r.key(), StandardCharsets.UTF_8),
                Json.fromBytes(r.value(), DeviceSyncStats.class).recordsAccepted()));
        return latest;
    }

    static Map<String, Long> perDevice(Map<String, Double> acknowledged) {
        return acknowledged.keySet().stream().collect(Collectors.groupingBy(k -> k.substring(0, k.indexOf('/')),
                Collectors.counting()));
    }
}
