package io.edgesync.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.agent.cloud.CommandRunner;
import io.edgesync.agent.sync.TelemetrySync;
import io.edgesync.agent.sync.UploadException;
import io.edgesync.dispatcher.CommandDispatcher;
import io.edgesync.dispatcher.DispatcherConfig;
import io.edgesync.dispatcher.auth.LocalCredentials;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.KafkaTopics;
import io.edgesync.testsupport.PostgresExtension;
import io.edgesync.testsupport.TestKeystores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent over TLS 1.3 with mutual TLS against a real gateway and a real dispatcher: given a CA
 * bundle and a client certificate and key (PEM), it enrols, uploads and polls; a certificate naming
 * another device is refused; the secrets on disk are owner-only.
 */
class AgentTlsIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static Path dir;
    static LocalCredentials credentials;
    static Path serverKeys;
    static Path operatorKeys;
    static Path clientTrust;
    static CommandDispatcher dispatcher;
    static IngestGateway gateway;

    @BeforeAll
    static void start() {
        dir = TempDirs.create("agent-tls-");
        credentials = LocalCredentials.loadOrCreate(dir);
        serverKeys = TestKeystores.keyPair(dir, "server", "localhost");
        operatorKeys = TestKeystores.keyPair(dir, "operator", "operator");
        Path deviceKeys = TestKeystores.keyPair(dir, "tls-device", "tls-device");
        Path otherKeys = TestKeystores.keyPair(dir, "other-device", "other-device");
        clientTrust = TestKeystores.trusting(dir, serverKeys, "server");
        Path clients = TestKeystores.trustingAll(dir, "clients", operatorKeys, deviceKeys, otherKeys);
        dispatcher = CommandDispatcher.start(DispatcherConfig.from(ConfigSource.of(Map.of(
                "kafka.bootstrap-servers", KAFKA.bootstrapServers(), "database.jdbc-url", PG.jdbcUrl(),
                "dispatcher.port", "0", "dispatcher.signing-key-file", credentials.signingKeyFile().toString(),
                "dispatcher.operator-token", credentials.operatorToken(),
                "dispatcher.enrollment-key", credentials.enrollmentKey(),
                "dispatcher.tls.keystore", serverKeys.toString(),
                "dispatcher.tls.keystore-password", TestKeystores.PASSWORD,
                "dispatcher.tls.truststore", clients.toString(),
                "dispatcher.tls.truststore-password", TestKeystores.PASSWORD))));
        gateway = IngestGateway.start(ConfigSource.of(Map.of(
                "kafka.bootstrap-servers", KAFKA.bootstrapServers(), "gateway.port", "0",
                "gateway.auth-mode", "jwt", "gateway.jwt-public-key-file", credentials.publicKeyFile().toString(),
                "gateway.tls.keystore", serverKeys.toString(), "gateway.tls.keystore-password", TestKeystores.PASSWORD,
                "gateway.tls.truststore", clients.toString(),
                "gateway.tls.truststore-password", TestKeystores.PASSWORD)));
        Await.equalTo(Duration.ofSeconds(60), gateway::ready, true, "gateway ready");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (dispatcher != null) {
            dispatcher.close();
        }
        TempDirs.deleteRecursively(dir);
    }

    /** An agent configured the documented way: agent.tls.ca-bundle, client-certificate and client-key. */
    static AgentConfig agent(String deviceId, String certificateOf) {
        return agent(deviceId, certificateOf, deviceId);
    }

    static AgentConfig agent(String deviceId, String certificateOf, String database) {
        Path keystore = dir.resolve(certificateOf + ".p12");
        Map<String, String> values = new HashMap<>(Map.of(
                "agent.device-id", deviceId, "agent.database", dir.resolve(database + ".db").toString(),
                "agent.gateway-url", gateway.url(), "agent.dispatcher-url", dispatcher.url(),
                "agent.enrollment-key", credentials.enrollmentKey(), "agent.http.port", "-1",
                "agent.retry.max-attempts", "2", "agent.retry.initial-interval", "100ms",
                "agent.tls.ca-bundle", TestKeystores.certificatePem(dir, serverKeys, "server").toString(),
                "agent.tls.client-certificate", TestKeystores.certificatePem(dir, keystore, certificateOf).toString()));
        values.put("agent.tls.client-key", TestKeystores.privateKeyPem(dir, keystore, certificateOf).toString());
        return AgentConfig.from(ConfigSource.of(values));
    }

    static JsonNode operator(String method, String path, Object body) throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .sslContext(TestKeystores.clientContext(operatorKeys, clientTrust)).build();
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(dispatcher.url() + path))
                .header("Authorization", "Bearer " + credentials.operatorToken())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(Json.toBytes(body)));
        HttpResponse<byte[]> response = http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(2, response.statusCode() / 100, new String(response.body(), StandardCharsets.UTF_8));
        return Json.mapper().readTree(response.body());
    }

    @Test
    void anAgentWithTheCaBundleEnrolsUploadsAndPollsOverMutualTls() throws Exception {
        try (EdgeAgent agent = EdgeAgent.open(agent("tls-device", "tls-device"))) {
            // GIVEN an agent holding the CA bundle and its own certificate; WHEN it enrols over TLS
            assertEquals("tls-device", agent.enrol().deviceId());
            // AND uploads readings to the gateway over TLS
            agent.record("s1", "temperature", 21.5, "C");
            agent.record("s1", "temperature", 21.7, "C");
            TelemetrySync.CycleResult cycle = agent.syncNow();
            assertTrue(cycle.ok(), () -> String.valueOf(cycle.failure()));
            // THEN the readings are in telemetry.raw under its key
            Await.until(Duration.ofSeconds(30), () -> KafkaTopics.readAll(KAFKA.bootstrapServers(),
                    Topics.TELEMETRY_RAW.name()).stream().filter(r -> "tls-device".equals(key(r.key()))).count(),
                    n -> n == 2, "two records of tls-device in telemetry.raw");
            // AND a command an operator creates reaches it through the dispatcher's long-poll
            String id = operator("POST", "/api/v1/devices/tls-device/commands",
                    Map.of("commandType", "ping", "payload", Map.of())).path("commandId").asText();
            CommandRunner.Round round = agent.cloud().commandRound(Duration.ZERO);
            assertEquals(1, round.executed(), round.toString());
            Await.until(Duration.ofSeconds(30), () -> operator("GET", "/api/v1/commands/" + id, null),
                    c -> c.path("status").asText().equals("executed"), "command executed");
        }
    }

    @Test
    void aCertificateNamingAnotherDeviceIsRefused() throws Exception {
        // GIVEN an agent that calls itself tls-thief but holds other-device's certificate
        try (EdgeAgent thief = EdgeAgent.open(agent("tls-thief", "other-device"))) {
            // WHEN it enrols THEN the dispatcher refuses it
            UploadException refused = assertThrows(UploadException.class, thief::enrol);
            assertEquals(403, refused.status(), refused.getMessage());
        }
        // GIVEN other-device enrolled with its own certificate; WHEN its token is used over tls-device's certificate
        try (EdgeAgent other = EdgeAgent.open(agent("other-device", "other-device"))) {
            other.enrol();
        }
        String otherToken = tokenOf("other-device");
        try (EdgeAgent borrowed = EdgeAgent.open(withToken(agent("other-device", "tls-device", "borrowed"),
                otherToken))) {
            // THEN the gateway refuses the upload: the token is for other-device, the certificate names tls-device
            borrowed.record("s1", "temperature", 1.0, "C");
            TelemetrySync.CycleResult cycle = borrowed.syncNow();
            assertTrue(!cycle.ok(), "an upload with a token for another device's certificate was accepted");
            assertEquals(0, borrowed.syncedCount());
        }
    }

    @Test
    void secretsOnDiskAreOwnerOnly() throws Exception {
        try (EdgeAgent agent = EdgeAgent.open(agent("mode-device", "tls-device"))) {
            agent.record("s1", "temperature", 1.0, "C");
        }
        for (Path secret : List.of(credentials.signingKeyFile(), dir.resolve("credentials/secrets.properties"),
                dir.resolve("mode-device.db"))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)),
                    secret.toString());
        }
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                credentials.publicKeyFile())), "the public key stays readable");
    }

    private static String key(byte[] key) {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    private static String tokenOf(String deviceId) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(deviceId + ".db"));
             var s = c.prepareStatement("SELECT value FROM agent_state WHERE state_key = 'device_token'");
             var rs = s.executeQuery()) {
            assertTrue(rs.next(), "no token stored for " + deviceId);
            return rs.getString(1);
        }
    }

    private static AgentConfig withToken(AgentConfig c, String token) {
        return new AgentConfig(c.deviceId(), c.databaseFile(), c.gatewayUrl(), c.dispatcherUrl(), token,
                c.batchSize(), c.syncInterval(), c.requestTimeout(), c.retry(), c.store(), c.httpPort(), null,
                c.commandWait(), c.heartbeatInterval(), c.deviceType(), c.nodeSyncInterval(), c.functions(), c.tables(),
                c.tls());
    }
}
