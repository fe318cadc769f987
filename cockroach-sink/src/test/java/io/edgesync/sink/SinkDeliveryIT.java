package io.edgesync.sink;

import static io.edgesync.sink.Fixtures.T0;
import static io.edgesync.sink.Fixtures.count;
import static io.edgesync.sink.Fixtures.reading;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.ConflictRecord;
import io.edgesync.shared.model.DeviceSyncStats;
import io.edgesync.shared.model.TelemetryRecord;
import io.edgesync.sink.dlq.DeadLetters;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.KafkaTopics;
import io.edgesync.testsupport.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sink against a real broker and a real PostgreSQL: ordering, replay, conflicts, stats, dead letters. */
class SinkDeliveryIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String GROUP = "sink-delivery";

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static CockroachSink sink;

    @BeforeAll
    static void startSink() {
        sink = CockroachSink.start(Fixtures.config(KAFKA.bootstrapServers(), PG.jdbcUrl(), GROUP, Map.of()));
    }

    @AfterAll
    static void stopSink() {
        sink.close();
    }

    @Test
    void olderVersionArrivingAfterNewerChangesNothing() throws Exception {
        // GIVEN version 2 of a record is stored
        Fixtures.sendAll(KAFKA.bootstrapServers(), List.of(reading("older-1", "r1", 2, T0, 2.0)));
        Await.equalTo(WAIT, () -> count(PG.dataSource(),
                "SELECT count(*) FROM telemetry_data WHERE device_id = 'older-1' AND version = 2"), 1L, "v2 stored");
        String before = Fixtures.rowChecksum(PG.dataSource(), "older-1", "r1");

        // WHEN version 1 arrives afterwards (with a later timestamp), then a marker on the same partition
        Fixtures.sendAll(KAFKA.bootstrapServers(), List.of(reading("older-1", "r1", 1, T0 + 60_000, 1.0),
                reading("older-1", "marker", 1, T0, 0.0)));
        Await.equalTo(WAIT, () -> count(PG.dataSource(),
                "SELECT count(*) FROM telemetry_data WHERE device_id = 'older-1' AND id = 'marker'"), 1L, "marker");

        // THEN r1 is unchanged, synced_at and xmin included
        assertEquals(before, Fixtures.rowChecksum(PG.dataSource(), "older-1", "r1"));
        assertEquals("2", Fixtures.text(PG.dataSource(),
                "SELECT version FROM telemetry_data WHERE device_id = 'older-1' AND id = 'r1'"));
    }

    @Test
    void versionsInsideOneBatchAreReducedToTheWinner() throws Exception {
        // GIVEN three versions and a same-version tie of one record, sent together
        Fixtures.sendAll(KAFKA.bootstrapServers(), List.of(
                reading("reduce-1", "r1", 1, T0, 1.0),
                reading("reduce-1", "r1", 3, T0, 3.0),
                reading("reduce-1", "r1", 2, T0 + 1000, 2.0),
                reading("reduce-1", "r2", 1, T0, 1.0),
                reading("reduce-1", "r2", 1, T0 + 1, 9.0)));

        // THEN the stored rows are the last-write-wins winners: highest version, then later timestamp
        Await.equalTo(WAIT, () -> Fixtures.text(PG.dataSource(), "SELECT string_agg(id || '=' || version || '/' "
                + "|| value, ',' ORDER BY id) FROM telemetry_data WHERE device_id = 'reduce-1'"),
                "r1=3/3,r2=1/9", "winners stored");
    }

    @Test
    void conflictsAndStatsAreStoredOnceAndOlderTotalsLose() throws Exception {
        // GIVEN a registered device
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO devices (device_id, name, device_type) VALUES ('cs-1', 'one', 'sensor')");
        }
        TelemetryRecord winner = reading("cs-1", "r1", 2, T0, 2.0);
        TelemetryRecord loser = reading("cs-1", "r1", 1, T0, 1.0);
        ConflictRecord conflict = new ConflictRecord("r1", "cs-1", ConflictRecord.STALE_VERSION, loser, winner, winner,
                ConflictRecord.LAST_WRITE_WINS, "version", T0 + 10);
        DeviceSyncStats newer = new DeviceSyncStats("cs-1", 50, 3, 1, T0, T0 + 500, T0 + 1000);
        DeviceSyncStats older = new DeviceSyncStats("cs-1", 40, 2, 1, T0 - 1, T0 + 400, T0 + 900);

        // WHEN the same conflict arrives twice and the older totals arrive after the newer ones
        try (KafkaProducer<byte[], byte[]> p = Fixtures.producer(KAFKA.bootstrapServers())) {
            Fixtures.send(p, Topics.TELEMETRY_CONFLICTS.name(), "cs-1", conflict);
            Fixtures.send(p, Topics.TELEMETRY_CONFLICTS.name(), "cs-1", conflict);
            Fixtures.send(p, Topics.DEVICE_SYNC_STATS.name(), "cs-1", newer);
            p.flush();
        }
        Await.equalTo(WAIT, () -> count(PG.dataSource(),
                "SELECT count(*) FROM sync_status WHERE device_id = 'cs-1'"), 1L, "stats stored");
        try (KafkaProducer<byte[], byte[]> p = Fixtures.producer(KAFKA.bootstrapServers())) {
            Fixtures.send(p, Topics.DEVICE_SYNC_STATS.name(), "cs-1", older);
            p.flush();
        }
        Await.until(WAIT, () -> KafkaTopics.caughtUp(KAFKA.bootstrapServers(), GROUP,
                Topics.DEVICE_SYNC_STATS.name()), Boolean::booleanValue, "stats consumed");

        // THEN one conflict row, the newer totals, and last_seen_at from the newer totals
        assertEquals(1L, count(PG.dataSource(), "SELECT count(*) FROM conflict_log WHERE device_id = 'cs-1'"));
        assertEquals("stale_version|2", Fixtures.text(PG.dataSource(),
                "SELECT conflict_type || '|' || (resolved->>'version') FROM conflict_log WHERE device_id = 'cs-1'"));
        assertEquals(50L, count(PG.dataSource(),
                "SELECT total_synced_records FROM sync_status WHERE device_id = 'cs-1'"));
        assertEquals(T0 + 500, count(PG.dataSource(),
                "SELECT (extract(epoch FROM last_seen_at) * 1000)::bigint FROM devices WHERE device_id = 'cs-1'"));
    }

    @Test
    void rowTheDatabaseRejectsGoesToTheDlqWhileTheOthersCommit() throws Exception {
        // GIVEN 40 good readings, one the database refuses (an operator's CHECK constraint: SQLSTATE 23514),
        // one whose metadata PostgreSQL cannot store (\u0000 in JSONB, dead-lettered before the write)
        // and one value that is not JSON at all, on the same partition
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE telemetry_data ADD CONSTRAINT refuse_test_sensor CHECK (sensor_id <> 'refused-by-db')");
        }
        try {
            databaseRefusal();
        } finally {
            try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("ALTER TABLE telemetry_data DROP CONSTRAINT refuse_test_sensor");
            }
        }
    }

    private void databaseRefusal() throws Exception {
        ObjectNode badMetadata = JsonNodeFactory.instance.objectNode().put("note", "nul\u0000byte");
        List<TelemetryRecord> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(reading("dlq-1", "r" + i, 1, T0 + i, i));
            if (i == 20) {
                TelemetryRecord r = reading("dlq-1", "bad", 1, T0, 0);
                records.add(new TelemetryRecord(r.id(), r.deviceId(), "refused-by-db", r.timestamp(), r.dataType(),
                        r.value(), r.unit(), r.metadata(), r.version(), r.receivedAt(), r.batchId()));
                records.add(new TelemetryRecord("unstorable", r.deviceId(), r.sensorId(), r.timestamp(), r.dataType(),
                        r.value(), r.unit(), badMetadata, r.version(), r.receivedAt(), r.batchId()));
            }
        }
        long dlqBefore = KafkaTopics.endOffsetSum(KAFKA.bootstrapServers(), Topics.TELEMETRY_DLQ.name());

        // WHEN they are consumed
        try (KafkaProducer<byte[], byte[]> p = Fixtures.producer(KAFKA.bootstrapServers())) {
            records.forEach(r -> Fixtures.send(p, Topics.TELEMETRY_CLEAN.name(), "dlq-1", r));
            ProducerRecord<byte[], byte[]> notJson = new ProducerRecord<>(Topics.TELEMETRY_CLEAN.name(),
                    "dlq-1".getBytes(StandardCharsets.UTF_8), "{not json".getBytes(StandardCharsets.UTF_8));
            notJson.headers().add("trace-id", "t-42".getBytes(StandardCharsets.UTF_8));
            p.send(notJson);
            p.flush();
        }

        // THEN the 40 good rows commit, the partition moves on, and both bad records are in the DLQ with reasons
        Await.equalTo(WAIT, () -> count(PG.dataSource(),
                "SELECT count(*) FROM telemetry_data WHERE device_id = 'dlq-1'"), 40L, "good rows");
        Await.until(WAIT, () -> KafkaTopics.caughtUp(KAFKA.bootstrapServers(), GROUP, Topics.TELEMETRY_CLEAN.name()),
                Boolean::booleanValue, "partition moved on");
        List<ConsumerRecord<byte[], byte[]>> dlq = Await.until(WAIT,
                () -> KafkaTopics.readAll(KAFKA.bootstrapServers(), Topics.TELEMETRY_DLQ.name()),
                l -> l.size() >= dlqBefore + 3, "three dead letters");
        ConsumerRecord<byte[], byte[]> rejected = dlq.stream()
                .filter(r -> "db_rejected".equals(header(r, DeadLetters.HEADER_REASON))).findFirst().orElseThrow();
        assertTrue(header(rejected, DeadLetters.HEADER_SQLSTATE).startsWith("23"),
                header(rejected, DeadLetters.HEADER_SQLSTATE));
        assertEquals(Topics.TELEMETRY_CLEAN.name(), header(rejected, DeadLetters.HEADER_SOURCE_TOPIC));
        assertTrue(new String(rejected.value(), StandardCharsets.UTF_8).contains("\"id\":\"bad\""));
        assertTrue(dlq.stream().anyMatch(r -> "undecodable".equals(header(r, DeadLetters.HEADER_REASON))
                && new String(r.value(), StandardCharsets.UTF_8).equals("{not json")
                && "t-42".equals(header(r, "trace-id"))), "undecodable record with its own headers");
        assertTrue(dlq.stream().anyMatch(r -> "invalid_record".equals(header(r, DeadLetters.HEADER_REASON))
                && new String(r.value(), StandardCharsets.UTF_8).contains("\"id\":\"unstorable\"")),
                "unstorable record dead-lettered before the write");
        assertEquals(0L, count(PG.dataSource(),
                "SELECT count(*) FROM telemetry_data WHERE device_id = 'dlq-1' AND id = 'bad'"));
        // AND the device's sync status says so, with the reason (the sink's own outcome, not a constant)
        assertEquals(1L, count(PG.dataSource(), "SELECT count(*) FROM sync_status WHERE device_id = 'dlq-1' "
                + "AND last_sync_status = 'rejected' AND last_error LIKE '%telemetry.dlq%'"));
    }

    @Test
    void replayFromOffsetZeroChangesNoRow() throws Exception {
        // GIVEN 600 readings (with re-sends and newer versions), conflicts and stats, all stored
        List<TelemetryRecord> records = new ArrayList<>();
        for (int d = 0; d < 6; d++) {
            for (int i = 0; i < 100; i++) {
                records.add(reading("replay-" + d, "r" + i, 1 + i % 3, T0 + i, i));
                if (i % 10 == 0) {
                    records.add(reading("replay-" + d, "r" + i, 1 + i % 3, T0 + i, i)); // re-send
                }
            }
        }
        Fixtures.sendAll(KAFKA.bootstrapServers(), records);
        try (KafkaProducer<byte[], byte[]> p = Fixtures.producer(KAFKA.bootstrapServers())) {
            for (int d = 0; d < 6; d++) {
                TelemetryRecord w = reading("replay-" + d, "r1", 2, T0, 1);
                TelemetryRecord l = reading("replay-" + d, "r1", 1, T0, 1);
                Fixtures.send(p, Topics.TELEMETRY_CONFLICTS.name(), "replay-" + d, new ConflictRecord("r1",
                        "replay-" + d, ConflictRecord.STALE_VERSION, l, w, w, ConflictRecord.LAST_WRITE_WINS,
                        "version", T0 + d));
                Fixtures.send(p, Topics.DEVICE_SYNC_STATS.name(), "replay-" + d,
                        new DeviceSyncStats("replay-" + d, 100, 10, 1, T0 + 99, T0 + 104, T0 + 2000));
            }
            p.flush();
        }
        awaitCaughtUp(GROUP);
        assertEquals(600L, count(PG.dataSource(), "SELECT count(*) FROM telemetry_data WHERE device_id LIKE 'replay-%'"));
        String telemetry = Fixtures.telemetryChecksum(PG.dataSource(), "replay-");
        String side = Fixtures.sideTablesChecksum(PG.dataSource(), "replay-");

        // WHEN a second sink with a new group reads every topic again from offset 0
        try (CockroachSink replay = CockroachSink.start(Fixtures.config(KAFKA.bootstrapServers(), PG.jdbcUrl(),
                "sink-replay", Map.of()))) {
            awaitCaughtUp("sink-replay");

            // THEN no row changed: not a value, not synced_at, not xmin
            assertEquals(telemetry, Fixtures.telemetryChecksum(PG.dataSource(), "replay-"));
            assertEquals(side, Fixtures.sideTablesChecksum(PG.dataSource(), "replay-"));
            assertTrue(replay.counters().rowsWritten() >= 600, "the replayed upserts were sent, and the guard refused them");
            assertTrue(replay.counters().recordsCommitted() >= records.size(), "replayed everything");
        }
    }

    private static void awaitCaughtUp(String group) {
        for (String topic : List.of(Topics.TELEMETRY_CLEAN.name(), Topics.TELEMETRY_CONFLICTS.name(),
                Topics.DEVICE_SYNC_STATS.name())) {
            Await.until(WAIT, () -> KafkaTopics.caughtUp(KAFKA.bootstrapServers(), group, topic),
                    Boolean::booleanValue, group + " caught up on " + topic);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
