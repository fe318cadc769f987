package io.edgesync.sink;

import static io.edgesync.sink.Fixtures.T0;
import static io.edgesync.sink.Fixtures.count;
import static io.edgesync.sink.Fixtures.reading;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.TelemetryRecord;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.ChildJvm;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.KafkaTopics;
import io.edgesync.testsupport.PostgresExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sink in a child JVM is SIGKILLed mid-stream (no shutdown hook, no flush, no offset commit)
 * and restarted: every record is in telemetry_data exactly once and no row written before the
 * kill is written again.
 */
class SinkKillIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String GROUP = "sink-kill";
    private static final int DEVICES = 10;
    private static final int PER_DEVICE = 4000;
    /** The killed member leaves the group when its session times out; the broker's minimum is 6 s. */
    private static final String SESSION_TIMEOUT = "6s";

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Test
    void sinkKilledMidStreamAndRestartedStoresEveryRecordExactlyOnce() throws Exception {
        // GIVEN 40,000 readings in telemetry.clean, 10% of them sent twice
        List<TelemetryRecord> records = new ArrayList<>();
        for (int i = 0; i < PER_DEVICE; i++) {
            for (int d = 0; d < DEVICES; d++) {
                records.add(reading("kill-" + d, "r" + i, 1, T0 + i, i));
                if (i % 10 == 0) {
                    records.add(reading("kill-" + d, "r" + i, 1, T0 + i, i));
                }
            }
        }
        Fixtures.sendAll(KAFKA.bootstrapServers(), records);
        long expected = (long) DEVICES * PER_DEVICE;
        assertEquals(records.size(), KafkaTopics.endOffsetSum(KAFKA.bootstrapServers(), Topics.TELEMETRY_CLEAN.name()));

        // WHEN the sink runs in its own JVM and is killed with SIGKILL while writing
        Path log = Path.of(System.getProperty("java.io.tmpdir"), "sink-kill-child.log");
        long atKill;
        try (ChildJvm child = ChildJvm.start("sink", log, "256m", SinkProcess.class, KAFKA.bootstrapServers(),
                PG.jdbcUrl(), GROUP, "100", SESSION_TIMEOUT)) {
            Await.until(WAIT, () -> count(PG.dataSource(), "SELECT count(*) FROM telemetry_data"), n -> n >= 4000,
                    "child sink writing");
            child.kill();
        } finally {
            TempDirs.deleteRecursively(log);
        }
        atKill = count(PG.dataSource(), "SELECT count(*) FROM telemetry_data");
        assertTrue(atKill < expected, "killed mid-stream, with " + atKill + " of " + expected + " rows written");
        Map<String, String> writtenBeforeKill = rowVersions();

        // AND a new sink in the same group starts
        try (CockroachSink sink = CockroachSink.start(Fixtures.config(KAFKA.bootstrapServers(), PG.jdbcUrl(), GROUP,
                Map.of("sink.session-timeout", SESSION_TIMEOUT)))) {
            Await.until(WAIT, () -> KafkaTopics.caughtUp(KAFKA.bootstrapServers(), GROUP,
                    Topics.TELEMETRY_CLEAN.name()), Boolean::booleanValue, "restarted sink caught up");

            // THEN every record is there (the primary key keeps each once; a second write shows in xmin below)
            assertEquals(expected, count(PG.dataSource(), "SELECT count(*) FROM telemetry_data"));
            for (int d = 0; d < DEVICES; d++) {
                assertEquals(PER_DEVICE, count(PG.dataSource(),
                        "SELECT count(*) FROM telemetry_data WHERE device_id = ?", "kill-" + d));
            }
            // AND no row written before the kill was written again (synced_at and xmin unchanged)
            Map<String, String> after = rowVersions();
            writtenBeforeKill.forEach((key, version) -> assertEquals(version, after.get(key), key));
        }
    }

    /** (device|id) → (synced_at|xmin) of every stored row. */
    private static Map<String, String> rowVersions() throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT device_id || '|' || id, synced_at::text || '|' || xmin::text "
                     + "FROM telemetry_data")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }
}
