package io.edgesync.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import io.edgesync.testsupport.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code edgesync agent run} in a child JVM, killed with SIGKILL in the middle of a sync and restarted. */
class AgentCrashIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static final int RECORDS = 30_000;

    static Path dir;
    static CloudPipeline cloud;
    static IngestGateway gateway;

    @BeforeAll
    static void startCloud() {
        dir = TempDirs.create("agent-crash-");
        cloud = new CloudPipeline(KAFKA.bootstrapServers(), PG.jdbcUrl(), PG.dataSource(), dir);
        gateway = cloud.startGateway(0, Map.of());
    }

    @AfterAll
    static void stopCloud() {
        gateway.close();
        cloud.close();
        TempDirs.deleteRecursively(dir);
    }

    @Test
    void killedWithSigkillMidSyncAndRestartedNothingIsLostAndNothingDoubled() throws Exception {
        // GIVEN a device store holding 30,000 readings and an agent process syncing them in batches of 500
        String device = "crash-device";
        Path db = dir.resolve("crash.db");
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, String.join("\n",
                "agent:",
                "  device-id: " + device,
                "  database: " + db,
                "  gateway-url: " + gateway.url(),
                "  dispatcher-url: ''",
                "  batch-size: 500",
                "  sync-interval: 200ms",
                "  http:",
                "    port: -1",
                "  retry:",
                "    initial-interval: 200ms",
                ""));
        Map<String, String> values = new HashMap<>();
        values.put("agent.device-id", device);
        values.put("agent.database", db.toString());
        values.put("agent.dispatcher-url", "");
        try (EdgeAgent writer = EdgeAgent.open(AgentConfig.from(io.edgesync.shared.config.ConfigSource.of(values)))) {
            for (int i = 0; i < RECORDS; i += 1000) {
                writer.submit(AgentGatewayOutageIT.readings(device, i, 1000));
            }
        }
        Path log = dir.resolve("agent.log");
        long syncedAtKill;
        long syncingAtKill;
        try (AgentProcess first = AgentProcess.start(log, "run", "--config", config.toString())) {
            // WHEN it is killed with SIGKILL once part of the store has been synced
            Await.until(Duration.ofMinutes(2), () -> count(db, "synced"), n -> n >= 2_000,
                    "records synced by the first agent process");
            first.kill();
            syncedAtKill = count(db, "synced");
            syncingAtKill = count(db, "syncing");
        }
        System.out.printf("killed with SIGKILL: synced=%d syncing=%d pending=%d%n", syncedAtKill, syncingAtKill,
                count(db, "pending"));

        // AND restarted
        try (AgentProcess second = AgentProcess.start(log, "run", "--config", config.toString())) {
            Await.equalTo(Duration.ofMinutes(3), () -> count(db, "synced"), (long) RECORDS,
                    "records synced after the restart (log: " + log + ")");
            second.stop();
        }

        // THEN every reading is in telemetry_data exactly once
        Await.equalTo(Duration.ofMinutes(3), () -> cloud.rows(device), (long) RECORDS, "rows in telemetry_data");
        assertEquals(RECORDS, cloud.distinctIds(device));
        assertEquals(0, count(db, "pending") + count(db, "syncing") + count(db, "failed"));
    }

    static long count(Path db, String status) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM telemetry_data WHERE sync_status = '" + status + "'")) {
            return rs.getLong(1);
        }
    }
}
