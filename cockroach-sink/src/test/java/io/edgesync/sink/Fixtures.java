package io.edgesync.sink;

import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.TelemetryRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Records, producers and table reads shared by the sink's tests. */
final class Fixtures {
    static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private Fixtures() {
    }

    static TelemetryRecord reading(String device, String id, int version, long timestamp, double value) {
        return new TelemetryRecord(id, device, "temp-1", timestamp, "temperature", value, "C", null, version,
                timestamp + 5, "batch-1");
    }

    static SinkConfig config(String bootstrap, String jdbcUrl, String group, Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of(
                "kafka.bootstrap-servers", bootstrap,
                "database.jdbc-url", jdbcUrl,
                "sink.group-id", group,
                "sink.port", "-1"));
        values.putAll(extra);
        return SinkConfig.from(ConfigSource.of(values));
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        // one request in flight keeps order without idempotence (the fresh test broker may still be
        // electing leaders, which the idempotent producer answers with sequence errors)
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends one record; the caller checks the returned acknowledgement or flushes. */
    static Future<RecordMetadata> send(KafkaProducer<byte[], byte[]> producer, String topic, String key,
                                       Object value) {
        return producer.send(new ProducerRecord<>(topic, key.getBytes(), Json.toBytes(value)));
    }

    /** Sends every record and waits until the broker has acknowledged each one. */
    static void sendAll(String bootstrap, List<TelemetryRecord> records) {
        try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
            List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
            records.forEach(r -> acks.add(send(p, Topics.TELEMETRY_CLEAN.name(), r.deviceId(), r)));
            p.flush();
            for (Future<RecordMetadata> ack : acks) {
                try {
                    ack.get();
                } catch (InterruptedException | ExecutionException e) {
                    throw new AssertionError("broker refused a test record", e);
                }
            }
        }
    }

    static long count(DataSource ds, String sql, Object... args) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static String text(DataSource ds, String sql, Object... args) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** md5 over every column of telemetry_data including synced_at and xmin (any rewrite changes both). */
    static String telemetryChecksum(DataSource ds, String devicePrefix) throws SQLException {
        return text(ds, "SELECT md5(string_agg(concat_ws('|', device_id, id, sensor_id, \"timestamp\", value, unit, "
                + "metadata, version, payload_hash, received_at, synced_at, xmin), ',' ORDER BY device_id, id)) "
                + "FROM telemetry_data WHERE device_id LIKE ?", devicePrefix + "%");
    }

    /** The same checksum for one row. */
    static String rowChecksum(DataSource ds, String device, String id) throws SQLException {
        return text(ds, "SELECT md5(concat_ws('|', device_id, id, sensor_id, \"timestamp\", value, unit, metadata, "
                + "version, payload_hash, received_at, synced_at, xmin)) FROM telemetry_data "
                + "WHERE device_id = ? AND id = ?", device, id);
    }

    /** md5 over conflict_log, sync_status and devices.last_seen_at rows of devices with this prefix. */
    static String sideTablesChecksum(DataSource ds, String devicePrefix) throws SQLException {
        return text(ds, "SELECT md5(concat_ws('#', "
                + "(SELECT string_agg(concat_ws('|', id, device_id, record_id, conflict_type, incoming, current_value, "
                + "resolved, strategy, detected_at, logged_at, xmin), ',' ORDER BY id) FROM conflict_log "
                + "WHERE device_id LIKE ?), "
                + "(SELECT string_agg(concat_ws('|', device_id, last_sync_at, last_record_at, last_received_at, "
                + "total_synced_records, duplicates_dropped, conflicts, updated_at, xmin), ',' ORDER BY device_id) "
                + "FROM sync_status WHERE device_id LIKE ?), "
                + "(SELECT string_agg(concat_ws('|', device_id, last_seen_at, xmin), ',' ORDER BY device_id) "
                + "FROM devices WHERE device_id LIKE ?)))", devicePrefix + "%", devicePrefix + "%", devicePrefix + "%");
    }
}
