package io.edgesync.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.agent.store.StoreOptions;
import io.edgesync.agent.sync.TelemetrySync;
import io.edgesync.embedded.FreePorts;
import io.edgesync.embedded.TempDirs;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.shared.model.TelemetryRecord;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The edge agent against the real gateway, broker, stream processor, sink and PostgreSQL. */
class AgentGatewayOutageIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static Path dir;
    static CloudPipeline cloud;

    @BeforeAll
    static void startCloud() {
        dir = TempDirs.create("agent-outage-");
        cloud = new CloudPipeline(KAFKA.bootstrapServers(), PG.jdbcUrl(), PG.dataSource(), dir);
    }

    @AfterAll
    static void stopCloud() {
        cloud.close();
        TempDirs.deleteRecursively(dir);
    }

    static AgentConfig config(String deviceId, String gatewayUrl, int batchSize, Duration syncInterval) {
        return new AgentConfig(deviceId, dir.resolve(deviceId + ".db"), gatewayUrl, null, null, batchSize,
                syncInterval, Duration.ofSeconds(30),
                new TelemetrySync.RetryPolicy(2, Duration.ofMillis(200), 2.0, Duration.ofSeconds(5)),
                new StoreOptions(StoreOptions.Durability.NORMAL, 2_000_000, StoreOptions.FullPolicy.REJECT_NEW,
                        Duration.ofDays(7)), -1, null, Duration.ofSeconds(1), Duration.ofSeconds(30), "edge-agent");
    }

    static List<TelemetryRecord> readings(String deviceId, int from, int n) {
        List<TelemetryRecord> out = new ArrayList<>(n);
        for (int i = from; i < from + n; i++) {
            out.add(new TelemetryRecord(UUID.randomUUID().toString(), deviceId, "sensor-" + (i % 8), 1_700_000_000_000L + i,
                    "temperature", 20 + (i % 100) / 10.0, "C", null, 1, null, null));
        }
        return out;
    }

    @Test
    void gatewayDownWhile50000RecordsAreWrittenThenBackEveryRecordLandsExactlyOnce() throws Exception {
        // GIVEN a running agent whose gateway is down
        int port = FreePorts.pick();
        String device = "outage-device";
        try (EdgeAgent agent = EdgeAgent.open(config(device, "http://127.0.0.1:" + port, 1000,
                Duration.ofMillis(500)), HttpClient.newHttpClient(), Clock.systemUTC())) {
            agent.start();
            // WHEN 50,000 readings are written while it is down
            for (int i = 0; i < 50_000; i += 1000) {
                agent.submit(readings(device, i, 1000));
            }
            Await.until(Duration.ofSeconds(60), () -> agent.status().lastSync(),
                    s -> s != null && s.status().equals("failed"), "a failed sync cycle while the gateway is down");
            assertEquals(50_000, agent.pendingCount());
            assertEquals(0, cloud.rows(device));

            // AND the gateway comes back
            cloud.startGateway(port, Map.of());

            // THEN every record reaches telemetry_data exactly once
            Await.equalTo(Duration.ofMinutes(4), () -> cloud.rows(device), 50_000L, "rows in telemetry_data");
            assertEquals(Map.of(1L, 50_000L), cloud.copiesInClean(device), "copies of each record in telemetry.clean");
            Await.equalTo(Duration.ofSeconds(30), agent::syncedCount, 50_000L, "records synced in the agent");
            assertEquals(0, agent.pendingCount());
            assertEquals(0, agent.failedCount());
        } finally {
            cloud.stopGateway();
        }
    }

    @Test
    void aRecordTheGatewayRefusesIsFailedWithItsReasonAndNeverResent() throws Exception {
        // GIVEN a store holding two good readings and one an older agent stored with a sensor id the gateway refuses
        String device = "refused-device";
        IngestGateway gateway = cloud.startGateway(0, Map.of());
        try (EdgeAgent agent = EdgeAgent.open(config(device, gateway.url(), 1000, Duration.ofHours(1)),
                HttpClient.newHttpClient(), Clock.systemUTC())) {
            agent.submit(readings(device, 0, 2));
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(device + ".db"));
                 PreparedStatement ps = c.prepareStatement("INSERT INTO telemetry_data (id, device_id, sensor_id,"
                         + " timestamp, data_type, value, created_at) VALUES ('bad-1', ?, ?, 1, 't', 1, 1)")) {
                ps.setString(1, device);
                ps.setString(2, "s".repeat(300));
                ps.executeUpdate();
            }
            // WHEN it syncs
            TelemetrySync.CycleResult first = agent.syncNow();

            // THEN the two are synced, the refused one is failed with the gateway's reason, and it is never resent
            assertTrue(first.ok());
            assertEquals(2, first.accepted());
            assertEquals(1, first.rejected());
            assertEquals(1, agent.failedCount());
            assertEquals(0, agent.syncNow().sent());
            Await.equalTo(Duration.ofSeconds(60), () -> cloud.rows(device), 2L, "rows in telemetry_data");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(device + ".db"));
                 var s = c.createStatement();
                 var rs = s.executeQuery("SELECT sync_status, last_error FROM telemetry_data WHERE id = 'bad-1'")) {
                assertEquals("failed", rs.getString(1));
                assertTrue(rs.getString(2).startsWith("invalid_field"), rs.getString(2));
            }
        } finally {
            gateway.close();
        }
    }

    @Test
    void aBatchTooLargeForTheGatewayIsSentInSmallerBatchesNotRefused() throws Exception {
        // GIVEN a gateway that takes at most 100 records per upload and an agent batching 1,000
        String device = "split-device";
        IngestGateway gateway = cloud.startGateway(0, Map.of("gateway.max-batch-records", "100"));
        try (EdgeAgent agent = EdgeAgent.open(config(device, gateway.url(), 1000, Duration.ofHours(1)),
                HttpClient.newHttpClient(), Clock.systemUTC())) {
            agent.submit(readings(device, 0, 450));
            // WHEN it syncs
            TelemetrySync.CycleResult result = agent.syncNow();
            // THEN the 413 made it halve its batches, and all 450 were accepted
            assertTrue(result.ok(), () -> String.valueOf(result.failure()));
            assertEquals(450, result.accepted());
            assertEquals(450, agent.syncedCount());
            Await.equalTo(Duration.ofSeconds(60), () -> cloud.rows(device), 450L, "rows in telemetry_data");
        } finally {
            gateway.close();
        }
    }

    @Test
    void theRealGatewaysRateLimit429WithRetryAfterIsHonouredAndNothingIsLostOrDoubled() throws Exception {
        // GIVEN a gateway allowing 200 records/s per device (bucket of 300) and an agent sending batches of 250
        String device = "limited-device";
        IngestGateway gateway = cloud.startGateway(0, Map.of("gateway.rate-limit.records-per-second", "200",
                "gateway.rate-limit.burst", "300"));
        AgentConfig base = config(device, gateway.url(), 250, Duration.ofHours(1));
        AgentConfig patient = new AgentConfig(base.deviceId(), base.databaseFile(), base.gatewayUrl(), null, null, 250,
                base.syncInterval(), base.requestTimeout(),
                new TelemetrySync.RetryPolicy(10, Duration.ofMillis(50), 2.0, Duration.ofSeconds(5)), base.store(), -1,
                null, base.commandWait(), base.heartbeatInterval(), base.deviceType());
        try (EdgeAgent agent = EdgeAgent.open(patient, HttpClient.newHttpClient(), Clock.systemUTC(), () -> 0.5)) {
            agent.submit(readings(device, 0, 1000));
            // WHEN it syncs
            TelemetrySync.CycleResult result = agent.syncNow();

            // THEN it was told 429 with Retry-After, waited at least that long each time (its own backoff
            // would have waited 50-100 ms), and every record landed once
            assertTrue(result.ok(), () -> String.valueOf(result.failure()));
            assertEquals(1000, result.accepted());
            assertTrue(!result.waits().isEmpty(), "the gateway answered 429 at least once");
            assertTrue(result.waits().stream().allMatch(w -> w >= 1000), "waits " + result.waits()
                    + " honour Retry-After (whole seconds)");
            Await.equalTo(Duration.ofSeconds(60), () -> cloud.rows(device), 1000L, "rows in telemetry_data");
            assertEquals(Map.of(1L, 1000L), cloud.copiesInClean(device), "copies of each record in telemetry.clean");
        } finally {
            gateway.close();
        }
    }
}
