package io.edgesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.agent.sync.TelemetrySync;
import io.edgesync.agent.sync.TelemetryUploader;
import io.edgesync.embedded.TempDirs;
import io.edgesync.gateway.GatewayConfig;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.gateway.auth.TrustingAuthenticator;
import io.edgesync.processor.ProcessorConfig;
import io.edgesync.processor.StreamProcessor;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.TelemetryRecord;
import io.edgesync.sink.CockroachSink;
import io.edgesync.sink.SinkConfig;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.KafkaTopics;
import io.edgesync.testsupport.PostgresExtension;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The walking skeleton, every piece real: edge agent → gateway → Kafka → stream processor → sink → PostgreSQL. */
class EndToEndIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static Path dir;
    static IngestGateway gateway;
    static StreamProcessor processor;
    static CockroachSink sink;

    @BeforeAll
    static void startControlPlane() {
        dir = TempDirs.create("e2e-");
        ConfigSource config = ConfigSource.of(Map.of(
                "kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                "database.jdbc-url", PG.jdbcUrl(),
                "gateway.port", "0",
                "processor.port", "0",
                "sink.port", "0",
                "processor.state-dir", dir.resolve("streams").toString()));
        gateway = IngestGateway.start(GatewayConfig.from(config), new TrustingAuthenticator());
        processor = StreamProcessor.start(ProcessorConfig.from(config));
        sink = CockroachSink.start(SinkConfig.from(config));
    }

    @AfterAll
    static void stopControlPlane() {
        gateway.close();
        processor.close();
        sink.close();
        TempDirs.deleteRecursively(dir);
    }

    @Test
    void batchFromAnEdgeAgentLandsOnceAndResendingItAddsNothing() throws Exception {
        // GIVEN an edge agent with 250 readings in its SQLite store
        AgentConfig agentConfig = new AgentConfig("e2e-device-1", dir.resolve("agent.db"), gateway.url(), null, null,
                100, Duration.ofSeconds(1), Duration.ofSeconds(10), TelemetrySync.RetryPolicy.defaults());
        try (EdgeAgent agent = EdgeAgent.open(agentConfig, HttpClient.newHttpClient(), Clock.systemUTC())) {
            for (int i = 0; i < 250; i++) {
                agent.record("temp-" + (i % 3), "temperature", 20 + i / 10.0, "C");
            }
            // WHEN it syncs
            TelemetrySync.CycleResult result = agent.syncNow();

            // THEN every record was accepted, and each appears in telemetry_data exactly once
            assertTrue(result.ok(), () -> "sync failed: " + result.failure());
            assertEquals(250, result.accepted());
            assertEquals(0, agent.pendingCount());
        }
        Await.equalTo(Duration.ofSeconds(60), () -> rowCount(DEVICE_ROWS), 250L, "rows in telemetry_data");
        // (the primary key keeps one row per id: a duplicate would show in telemetry.clean, read_committed)
        assertEquals(Map.of(1L, 250L), KafkaTopics.copyHistogram(KafkaTopics.telemetryCopies(KAFKA.bootstrapServers(),
                Topics.TELEMETRY_CLEAN.name(), "e2e-device-1")), "copies of each record in telemetry.clean");

        // WHEN the same batch is sent again, as a device does after a lost response
        List<TelemetryRecord> sent = readBack(dir.resolve("agent.db"));
        long rawBefore = KafkaTopics.endOffsetSum(KAFKA.bootstrapServers(), Topics.TELEMETRY_RAW.name());
        TelemetryUploader uploader = new TelemetryUploader(HttpClient.newHttpClient(), gateway.url(), () -> null,
                Duration.ofSeconds(10));
        assertEquals(250, uploader.upload("e2e-device-1", "resend", sent).accepted());

        // THEN the duplicates are in telemetry.raw, the processor consumed them, and nothing new came out
        assertEquals(rawBefore + 250, KafkaTopics.endOffsetSum(KAFKA.bootstrapServers(), Topics.TELEMETRY_RAW.name()));
        Await.until(Duration.ofSeconds(60), () -> KafkaTopics.caughtUp(KAFKA.bootstrapServers(),
                ProcessorConfig.APPLICATION_ID.defaultValue(), Topics.TELEMETRY_RAW.name()), done -> done,
                "stream processor caught up with telemetry.raw");
        assertEquals(250, KafkaTopics.readAll(KAFKA.bootstrapServers(), Topics.TELEMETRY_CLEAN.name()).size(),
                "telemetry.clean holds each record once");
        assertEquals(250, rowCount(DEVICE_ROWS));
    }

    private static final String DEVICE_ROWS = "SELECT count(*) FROM telemetry_data WHERE device_id = 'e2e-device-1'";

    /** The records the agent stored, read from its SQLite file as a device would resend them. */
    private static List<TelemetryRecord> readBack(Path agentDb) throws SQLException {
        List<TelemetryRecord> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + agentDb);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, device_id, sensor_id, timestamp, data_type, value, unit, version"
                     + " FROM telemetry_data ORDER BY rowid")) {
            while (rs.next()) {
                out.add(new TelemetryRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getString(5), rs.getDouble(6), rs.getString(7), null, rs.getInt(8), null, null));
            }
        }
        return out;
    }

    private static long rowCount(String sql) throws SQLException {
        try (Connection c = PG.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
