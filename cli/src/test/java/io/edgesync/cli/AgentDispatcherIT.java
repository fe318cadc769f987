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
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import io.edgesync.testsupport.TempDirs;
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
