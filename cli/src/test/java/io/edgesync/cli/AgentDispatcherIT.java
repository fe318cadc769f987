package io.edgesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.agent.cloud.CommandRunner;
import io.edgesync.dispatcher.CommandDispatcher;
import io.edgesync.dispatcher.DispatcherConfig;
import io.edgesync.dispatcher.auth.LocalCredentials;
import io.edgesync.embedded.FreePorts;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.processor.ProcessorConfig;
import io.edgesync.processor.StreamProcessor;
import io.edgesync.sink.CockroachSink;
import io.edgesync.sink.SinkConfig;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real edge agent against the real dispatcher: enrolment, a command queued while offline, config. */
class AgentDispatcherIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static Path dir;
    static LocalCredentials credentials;
    static CommandDispatcher dispatcher;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        dir = TempDirs.create("agent-dispatcher-");
        credentials = LocalCredentials.loadOrCreate(dir);
        dispatcher = CommandDispatcher.start(DispatcherConfig.from(ConfigSource.of(Map.of(
                "kafka.bootstrap-servers", KAFKA.bootstrapServers(), "database.jdbc-url", PG.jdbcUrl(),
                "dispatcher.port", "0", "dispatcher.signing-key-file", credentials.signingKeyFile().toString(),
                "dispatcher.operator-token", credentials.operatorToken(),
                "dispatcher.enrollment-key", credentials.enrollmentKey()))));
    }

    @AfterAll
    static void stop() {
        dispatcher.close();
        TempDirs.deleteRecursively(dir);
    }

    @Test
    void agentEnrolsRunsACommandQueuedWhileItWasAwayAndAppliesConfig() throws Exception {
        AgentConfig config = AgentConfig.from(ConfigSource.of(Map.of(
                "agent.device-id", "edge-1", "agent.database", dir.resolve("edge-1.db").toString(),
                "agent.dispatcher-url", dispatcher.url(), "agent.gateway-url", "http://127.0.0.1:9",
                "agent.enrollment-key", credentials.enrollmentKey(), "agent.http.port", "-1")));
        try (EdgeAgent agent = EdgeAgent.open(config)) {
            // GIVEN an enrolled agent that is not polling
            assertEquals("edge-1", agent.enrol().deviceId());
            // WHEN an operator queues a command and a config change meanwhile
            JsonNode created = operator("POST", "/api/v1/devices/edge-1/commands", "{\"commandType\":\"ping\"}", 201);
            operator("PUT", "/api/v1/devices/edge-1/config/sample-rate", "{\"value\":5}", 200);
            // THEN its next round runs and acknowledges the command, and it applies the config
            CommandRunner.Round round = agent.cloud().commandRound(Duration.ZERO);
            assertEquals(1, round.executed(), round.toString());
            assertEquals(1, round.acknowledged(), round.toString());
            JsonNode command = operator("GET", "/api/v1/commands/" + created.path("commandId").asText(), null, 200);
            assertEquals("executed", command.path("status").asText());
            assertTrue(command.path("result").asText().startsWith("pong"), command.toString());
            assertEquals(1, agent.cloud().syncConfig());
            assertEquals("5", agent.deviceConfig().all().get("sample-rate"));
            agent.cloud().heartbeat();
            JsonNode desired = operator("GET", "/api/v1/devices/edge-1/config", null, 200);
            assertTrue(desired.path("inSync").asBoolean(), desired.toString());
            assertEquals("online", operator("GET", "/api/v1/devices/edge-1", null, 200).path("status").asText());
        }
    }

    @Test
    void syncStatusTellsTheAgentsRealOutcomeAndTheSinksTotals() throws Exception {
        int gatewayPort = FreePorts.pick();
        AgentConfig config = AgentConfig.from(ConfigSource.of(Map.of(
                "agent.device-id", "edge-2", "agent.database", dir.resolve("edge-2.db").toString(),
                "agent.dispatcher-url", dispatcher.url(), "agent.gateway-url", "http://127.0.0.1:" + gatewayPort,
                "agent.enrollment-key", credentials.enrollmentKey(), "agent.http.port", "-1",
                "agent.retry.max-attempts", "1")));
        Map<String, String> cloud = Map.of("kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                "database.jdbc-url", PG.jdbcUrl(), "gateway.port", Integer.toString(gatewayPort),
                "gateway.auth-mode", "none", "processor.state-dir", dir.resolve("streams").toString(),
                "processor.port", "-1", "processor.stats-interval", "1s", "sink.port", "-1");
        try (EdgeAgent agent = EdgeAgent.open(config)) {
            agent.enrol();
            for (int i = 0; i < 100; i++) {
                agent.record("t", "temperature", i, "C");
            }
            // GIVEN the device cannot reach its gateway
            assertTrue(!agent.syncNow().ok());
            // WHEN it heartbeats, THEN its sync status is the failure it saw, with its pending count
            agent.cloud().heartbeat();
            JsonNode failing = operator("GET", "/api/v1/sync/status/edge-2", null, 200);
            assertEquals("failed", failing.path("lastSyncStatus").asText(), failing.toString());
            assertTrue(!failing.path("lastError").asText("").isEmpty(), failing.toString());
            assertEquals(100, failing.path("pendingRecordsCount").asLong(), failing.toString());

            // WHEN the gateway, processor and sink run and the device syncs
            try (StreamProcessor processor = StreamProcessor.start(ProcessorConfig.from(ConfigSource.of(cloud)));
                 CockroachSink sink = CockroachSink.start(SinkConfig.from(ConfigSource.of(cloud)));
                 IngestGateway gateway = IngestGateway.start(ConfigSource.of(cloud))) {
                assertTrue(agent.syncNow().ok());
                agent.cloud().heartbeat();
                // THEN the status is ok with nothing pending, and the sink's total counts what landed
                JsonNode ok = Await.until(Duration.ofSeconds(60),
                        () -> operator("GET", "/api/v1/sync/status/edge-2", null, 200),
                        s -> s.path("totalSyncedRecords").asLong() == 100, "the sink's total for edge-2");
                assertEquals("ok", ok.path("lastSyncStatus").asText(), ok.toString());
                assertTrue(ok.path("lastError").isNull(), ok.toString());
                assertEquals(0, ok.path("pendingRecordsCount").asLong(), ok.toString());
            }
        }
    }

    private static JsonNode operator(String method, String path, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(dispatcher.url() + path))
                .header("Authorization", "Bearer " + credentials.operatorToken())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }
}
