package io.edgesync.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.agent.store.StoreOptions;
import io.edgesync.agent.sync.TelemetrySync;
import io.edgesync.cli.ControlPlane;
import io.edgesync.dispatcher.CommandDispatcher;
import io.edgesync.dispatcher.DispatcherConfig;
import io.edgesync.embedded.TempDirs;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent against the real dispatcher (and the rest of the control plane): enrolment, commands
 * created by an operator and executed by the agent, config changes applied and reported, re-enrolment
 * after an expired token, none after a revoked one.
 */
class AgentDispatcherIT {
    static Path dir;
    static ControlPlane plane;
    static EdgeAgent agent;
    static final String DEVICE = "cmd-device";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        dir = TempDirs.create("agent-dispatcher-");
        plane = ControlPlane.start(new ControlPlane.Options(dir.resolve("plane"), 0, 0, 0, 0, null, false));
        AgentConfig config = new AgentConfig(DEVICE, dir.resolve("agent.db"), plane.gatewayUrl(), plane.dispatcherUrl(),
                null, 1000, Duration.ofSeconds(1), Duration.ofSeconds(30),
                new TelemetrySync.RetryPolicy(5, Duration.ofMillis(200), 2.0, Duration.ofSeconds(5)),
                StoreOptions.defaults(), -1, plane.credentials().enrollmentKey(), Duration.ofSeconds(20),
                Duration.ofSeconds(1), "sensor-hub");
        agent = EdgeAgent.open(config, HTTP, Clock.systemUTC());
        agent.enrol();
        agent.start();
        // the device is known and heartbeating before the tests start
        Await.until(Duration.ofSeconds(60), () -> operator("GET", "/api/v1/devices/" + DEVICE, null),
                d -> !d.path("lastSeenAt").isMissingNode() && !d.path("lastSeenAt").isNull(), "first heartbeat");
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        if (plane != null) {
            plane.close();
        }
        TempDirs.deleteRecursively(dir);
    }

    static JsonNode operator(String method, String path, Object body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(plane.dispatcherUrl() + path))
                .header("Authorization", "Bearer " + plane.credentials().operatorToken())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(Json.toBytes(body)));
        HttpResponse<byte[]> response = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": "
                    + new String(response.body()));
        }
        return Json.mapper().readTree(response.body());
    }

    @Test
    void aCommandRoundTripFromOperatorToAcknowledgementTakesUnderTwoSeconds() throws Exception {
        // GIVEN the agent long-polling; WHEN an operator creates a ping
        long created = System.nanoTime();
        String id = operator("POST", "/api/v1/devices/" + DEVICE + "/commands",
                Map.of("commandType", "ping", "payload", Map.of())).path("commandId").asText();
        // THEN it is executed and acknowledged within 2 s
        JsonNode done = Await.until(Duration.ofSeconds(30), () -> operator("GET", "/api/v1/commands/" + id, null),
                c -> c.path("status").asText().equals("executed"), "command executed");
        long millis = (System.nanoTime() - created) / 1_000_000;
        System.out.println("command round trip: " + millis + " ms");
        assertTrue(millis < 2000, "round trip took " + millis + " ms");
        assertTrue(done.path("result").toString().contains("pong"), done.toString());
        assertEquals("executed", agent.commands().find(id).status());
    }

    @Test
    void anUnknownCommandTypeIsAcknowledgedFailedWithTheReason() throws Exception {
        String id = operator("POST", "/api/v1/devices/" + DEVICE + "/commands",
                Map.of("commandType", "self-destruct")).path("commandId").asText();
        JsonNode done = Await.until(Duration.ofSeconds(30), () -> operator("GET", "/api/v1/commands/" + id, null),
                c -> c.path("status").asText().equals("failed"), "command failed");
        assertTrue(done.path("result").toString().contains("unknown command type 'self-destruct'"), done.toString());
    }

    @Test
    void aConfigChangeIsAppliedInTheStoreAndReportedBack() throws Exception {
        // WHEN an operator sets a key
        JsonNode put = operator("PUT", "/api/v1/devices/" + DEVICE + "/config/sample-interval",
                Map.of("value", "10s"));
        long version = put.path("version").asLong();
        // THEN the agent holds it at that version, and the dispatcher shows desired = reported
        Await.until(Duration.ofSeconds(30), () -> agent.deviceConfig().all(),
                c -> "10s".equals(c.get("sample-interval")), "config applied on the device");
        assertTrue(agent.deviceConfig().version() >= version);
        JsonNode view = Await.until(Duration.ofSeconds(30),
                () -> operator("GET", "/api/v1/devices/" + DEVICE + "/config", null),
                v -> v.path("inSync").asBoolean(), "reported config version equals desired");
        assertEquals(agent.deviceConfig().version(), view.path("reportedVersion").asLong());
    }

    @Test
    void syncNowAndSetConfigCommandsRunTheirHandlers() throws Exception {
        agent.record("s1", "temperature", 21.0, "C");
        String sync = operator("POST", "/api/v1/devices/" + DEVICE + "/commands",
                Map.of("commandType", "sync-now")).path("commandId").asText();
        JsonNode synced = Await.until(Duration.ofSeconds(30), () -> operator("GET", "/api/v1/commands/" + sync, null),
                c -> !c.path("status").asText().matches("pending|delivered"), "sync-now done");
        assertEquals("executed", synced.path("status").asText(), synced.toString());

        operator("PUT", "/api/v1/devices/" + DEVICE + "/config/mode", Map.of("value", "eco"));
        String set = operator("POST", "/api/v1/devices/" + DEVICE + "/commands",
                Map.of("commandType", "set-config")).path("commandId").asText();
        JsonNode applied = Await.until(Duration.ofSeconds(30), () -> operator("GET", "/api/v1/commands/" + set, null),
                c -> !c.path("status").asText().matches("pending|delivered"), "set-config done");
        assertEquals("executed", applied.path("status").asText(), applied.toString());
        assertEquals("eco", agent.deviceConfig().all().get("mode"));
    }

    @Test
    void aRevokedTokenStopsSyncingWithRecordsKeptPendingAndReported() throws Exception {
        // GIVEN a gateway verifying the dispatcher's device tokens, and an enrolled agent that synced through it
        String device = "revoked-device";
        try (IngestGateway jwtGateway = IngestGateway.start(ConfigSource.of(Map.of(
                "kafka.bootstrap-servers", plane.kafkaBootstrap(), "gateway.port", "0", "gateway.auth-mode", "jwt",
                "gateway.jwt-public-key-file", plane.publicKeyFile().toString())));
             EdgeAgent revoked = EdgeAgent.open(new AgentConfig(device, dir.resolve("revoked.db"), jwtGateway.url(),
                     plane.dispatcherUrl(), null, 1000, Duration.ofHours(1), Duration.ofSeconds(30),
                     new TelemetrySync.RetryPolicy(2, Duration.ofMillis(100), 2.0, Duration.ofSeconds(1)),
                     StoreOptions.defaults(), -1, plane.credentials().enrollmentKey(), Duration.ofSeconds(5),
                     Duration.ofHours(1), "sensor-hub"), HTTP, Clock.systemUTC())) {
            revoked.enrol();
            revoked.record("s1", "temperature", 1.0, "C");
            TelemetrySync.CycleResult first = revoked.syncNow();
            assertTrue(first.ok(), () -> String.valueOf(first.failure()));
            assertEquals(1, revoked.syncedCount());

            // WHEN an operator revokes its token
            operator("DELETE", "/api/v1/devices/" + device + "/token", null);

            // THEN within seconds its uploads are refused; it stops syncing, reports why, and keeps the records
            TelemetrySync.CycleResult refused = Await.until(Duration.ofSeconds(30), () -> {
                revoked.record("s1", "temperature", 2.0, "C");
                return revoked.syncNow();
            }, TelemetrySync.CycleResult::unauthorized, "an upload refused for the revoked token");
            assertTrue(refused.failure().status() == 401 || refused.failure().status() == 403);
            assertTrue(revoked.syncStopped());
            assertEquals(0, revoked.failedCount(), "records are never failed for the device's credentials");
            assertTrue(revoked.pendingCount() >= 1);
            assertTrue(revoked.status().syncStopped() != null);
            // a revoked device cannot re-enrol itself with the enrollment key: the dispatcher's 403 is reported
            assertTrue(revoked.status().syncStopped().contains("an operator must issue a new token"),
                    revoked.status().syncStopped());
        }
    }

    @Test
    void anExpiredTokenIsRefusedByTheGatewayAndTheAgentReenrolsByItselfAndKeepsSyncing() throws Exception {
        // GIVEN a dispatcher (same key, database and Kafka as the plane) issuing device tokens valid for 3 s,
        // the plane's gateway verifying them, and an agent with the enrollment key syncing every second
        String device = "expiring-device";
        Map<String, String> settings = Map.of("kafka.bootstrap-servers", plane.kafkaBootstrap(),
                "database.jdbc-url", plane.jdbcUrl(), "dispatcher.port", "0",
                "dispatcher.signing-key-file", plane.credentials().signingKeyFile().toString(),
                "dispatcher.operator-token", plane.credentials().operatorToken(),
                "dispatcher.enrollment-key", plane.credentials().enrollmentKey(),
                "dispatcher.device-token-ttl", "3s");
        try (CommandDispatcher shortLived = CommandDispatcher.start(DispatcherConfig.from(ConfigSource.of(settings)));
             EdgeAgent expiring = EdgeAgent.open(new AgentConfig(device, dir.resolve("expiring.db"),
                     plane.gatewayUrl(), shortLived.url(), null, 1000, Duration.ofSeconds(1), Duration.ofSeconds(30),
                     new TelemetrySync.RetryPolicy(2, Duration.ofMillis(100), 2.0, Duration.ofSeconds(1)),
                     StoreOptions.defaults(), -1, plane.credentials().enrollmentKey(), Duration.ofSeconds(5),
                     Duration.ofHours(1), "sensor-hub"), HTTP, Clock.systemUTC())) {
            Instant firstExpiry = Instant.parse(expiring.enrol().expiresAt());
            expiring.start();

            // WHEN its first token has expired (the gateway answers 401) and it records more readings
            Await.until(Duration.ofSeconds(30), Instant::now, now -> now.isAfter(firstExpiry.plusSeconds(1)),
                    "the first token expired");
            String afterExpiry = expiring.record("s1", "temperature", 7.0, "C");

            // THEN it re-enrols by itself (a new token version) and the reading reaches Kafka and the database
            Await.until(Duration.ofSeconds(120), () -> telemetryRows(afterExpiry), n -> n == 1,
                    "the reading recorded after expiry in telemetry_data");
            assertTrue(KafkaTopics.readAll(plane.kafkaBootstrap(), Topics.TELEMETRY_RAW.name()).stream()
                    .anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains(afterExpiry)),
                    "the reading is on telemetry.raw");
            assertTrue(operator("GET", "/api/v1/devices/" + device, null).path("tokenVersion").asLong() >= 2,
                    "re-enrolment issued a new token version");
            assertEquals(0, expiring.failedCount(), "no record failed for the expired token");
        }
    }

    private static long telemetryRows(String id) throws Exception {
        try (Connection c = DriverManager.getConnection(plane.jdbcUrl());
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM telemetry_data WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void enrollCommandRegistersTheDeviceAndStoresItsTokenWithoutPrintingIt() throws Exception {
        // GIVEN a device configuration without a token, and the fleet enrollment key in the environment
        Path config = dir.resolve("enroll.yaml");
        Path db = dir.resolve("enroll.db");
        java.nio.file.Files.writeString(config, "agent:\n  device-id: cli-enrolled\n  database: " + db
                + "\n  dispatcher-url: " + plane.dispatcherUrl() + "\n");
        ProcessBuilder pb = new ProcessBuilder(AgentProcess.javaBin(), "-Xmx128m",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp", System.getProperty("java.class.path"),
                io.edgesync.cli.EdgeSyncCli.class.getName(), "agent", "enroll", "--config", config.toString());
        pb.environment().put("EDGESYNC_AGENT_ENROLLMENT_KEY", plane.credentials().enrollmentKey());
        Path out = dir.resolve("enroll.out");
        Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
        // WHEN `edgesync agent enroll` runs
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "enroll finished");
        String printed = java.nio.file.Files.readString(out);
        // THEN the dispatcher knows the device, the token is stored, and it was not printed
        assertEquals(0, p.exitValue(), printed);
        assertTrue(printed.contains("device=cli-enrolled"), printed);
        assertEquals("cli-enrolled", operator("GET", "/api/v1/devices/cli-enrolled", null).path("deviceId").asText());
        try (io.edgesync.agent.store.LocalStore store = io.edgesync.agent.store.LocalStore.open(db, Clock.systemUTC())) {
            String token = store.state(io.edgesync.agent.AgentState.DEVICE_TOKEN);
            assertTrue(token != null && !token.isBlank());
            assertTrue(!printed.contains(token), "the token is never printed");
        }
    }

    @Test
    void theHeartbeatReportsAgentVersionConfigVersionPendingCountAndDeviceTime() throws Exception {
        JsonNode device = Await.until(Duration.ofSeconds(30), () -> operator("GET", "/api/v1/devices/" + DEVICE, null),
                d -> d.hasNonNull("agentVersion") && d.hasNonNull("reportedConfigVersion")
                        && d.hasNonNull("pendingRecords") && d.hasNonNull("clockSkewMs"), "a full heartbeat");
        assertEquals(EdgeAgent.VERSION, device.path("agentVersion").asText());
        assertTrue(Math.abs(device.path("clockSkewMs").asLong()) < 60_000, device.toString());
        assertTrue(device.path("reportedConfigVersion").asLong() <= agent.deviceConfig().version());
        assertEquals("online", device.path("status").asText(), device.toString());
    }
}
