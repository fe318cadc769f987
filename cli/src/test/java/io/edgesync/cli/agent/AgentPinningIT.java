package io.edgesync.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.agent.sync.TelemetrySync;
import io.edgesync.dispatcher.CommandDispatcher;
import io.edgesync.dispatcher.DispatcherConfig;
import io.edgesync.dispatcher.auth.LocalCredentials;
import io.edgesync.embedded.FreePorts;
import io.edgesync.embedded.TempDirs;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import io.edgesync.testsupport.TestKeystores;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SPKI pinning in the agent against real gateways and a real dispatcher with three real keystores,
 * all signed by authorities the agent trusts: the key in use and the backup key are pinned, a third
 * key is not. The backup key is accepted after a rotation; the third is refused.
 */
class AgentPinningIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static Path dir;
    static LocalCredentials credentials;
    static Path current;
    static Path backup;
    static Path rogue;
    static Path caBundle;
    static CommandDispatcher dispatcher;

    @BeforeAll
    static void start() throws Exception {
        dir = TempDirs.create("agent-pinning-");
        credentials = LocalCredentials.loadOrCreate(dir);
        current = TestKeystores.keyPair(dir, "current", "localhost");
        backup = TestKeystores.keyPair(dir, "backup", "localhost");
        rogue = TestKeystores.keyPair(dir, "rogue", "localhost");
        // the agent trusts all three certificates: only the pins tell them apart
        caBundle = dir.resolve("ca-bundle.pem");
        Files.writeString(caBundle, Files.readString(TestKeystores.certificatePem(dir, current, "current"))
                + Files.readString(TestKeystores.certificatePem(dir, backup, "backup"))
                + Files.readString(TestKeystores.certificatePem(dir, rogue, "rogue")));
        dispatcher = CommandDispatcher.start(DispatcherConfig.from(ConfigSource.of(Map.of(
                "kafka.bootstrap-servers", KAFKA.bootstrapServers(), "database.jdbc-url", PG.jdbcUrl(),
                "dispatcher.port", "0", "dispatcher.signing-key-file", credentials.signingKeyFile().toString(),
                "dispatcher.enrollment-key", credentials.enrollmentKey(),
                "dispatcher.tls.keystore", current.toString(),
                "dispatcher.tls.keystore-password", TestKeystores.PASSWORD))));
    }

    @AfterAll
    static void stop() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        TempDirs.deleteRecursively(dir);
    }

    /** sha256/ and the base64 SHA-256 of the certificate's SubjectPublicKeyInfo, computed here independently. */
    static String pin(String alias) throws Exception {
        try (InputStream in = Files.newInputStream(dir.resolve(alias + ".crt.pem"))) {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return "sha256/" + Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(c.getPublicKey().getEncoded()));
        }
    }

    static IngestGateway gateway(Path keystore, int port) {
        IngestGateway g = IngestGateway.start(ConfigSource.of(Map.of(
                "kafka.bootstrap-servers", KAFKA.bootstrapServers(), "gateway.port", Integer.toString(port),
                "gateway.auth-mode", "none", "gateway.tls.keystore", keystore.toString(),
                "gateway.tls.keystore-password", TestKeystores.PASSWORD)));
        Await.equalTo(Duration.ofSeconds(60), g::ready, true, "gateway ready");
        return g;
    }

    static AgentConfig agent(String deviceId, String gatewayUrl, String dispatcherUrl, String gatewayPins,
                             String dispatcherPins) {
        Map<String, String> values = new HashMap<>(Map.of(
                "agent.device-id", deviceId, "agent.database", dir.resolve(deviceId + ".db").toString(),
                "agent.gateway-url", gatewayUrl, "agent.dispatcher-url", dispatcherUrl,
                "agent.enrollment-key", credentials.enrollmentKey(), "agent.http.port", "-1",
                "agent.retry.max-attempts", "2", "agent.retry.initial-interval", "100ms",
                "agent.tls.ca-bundle", caBundle.toString()));
        values.put("agent.tls.gateway-pins", gatewayPins);
        values.put("agent.tls.dispatcher-pins", dispatcherPins);
        return AgentConfig.from(ConfigSource.of(values));
    }

    @Test
    void theBackupPinWorksAfterARotationAndAKeyOutsideThePinsIsRefused() throws Exception {
        int port = FreePorts.pick();
        String pins = pin("current") + "," + pin("backup");
        try (EdgeAgent agent = EdgeAgent.open(agent("pinned-1", "https://127.0.0.1:" + port, "", pins, ""))) {
            // GIVEN the gateway on the pinned key in use: uploads pass
            try (IngestGateway g = gateway(current, port)) {
                agent.record("s1", "temperature", 1.0, "C");
                TelemetrySync.CycleResult cycle = agent.syncNow();
                assertTrue(cycle.ok(), () -> String.valueOf(cycle.failure()));
            }
            // WHEN the gateway's key is rotated to the backup key THEN uploads still pass
            try (IngestGateway g = gateway(backup, port)) {
                agent.record("s1", "temperature", 2.0, "C");
                TelemetrySync.CycleResult cycle = agent.syncNow();
                assertTrue(cycle.ok(), () -> String.valueOf(cycle.failure()));
            }
            assertEquals(2, agent.syncedCount());
            // WHEN a gateway presents a trusted certificate whose key is not pinned THEN nothing is sent
            try (IngestGateway g = gateway(rogue, port)) {
                agent.record("s1", "temperature", 3.0, "C");
                TelemetrySync.CycleResult cycle = agent.syncNow();
                assertFalse(cycle.ok(), "a gateway outside the pins was accepted");
                assertEquals(0, g.acceptedRecords(), "the rogue gateway received records");
            }
            assertEquals(2, agent.syncedCount());
            assertEquals(1, agent.pendingCount(), "the refused reading stays pending");
        }
    }

    @Test
    void aDispatcherOutsideThePinsIsRefusedAndOneInsideIsUsed() throws Exception {
        // GIVEN pins of two keys the dispatcher does not hold: enrolment is refused
        try (EdgeAgent agent = EdgeAgent.open(agent("pinned-2", "https://127.0.0.1:9", dispatcher.url(), "",
                pin("backup") + "," + pin("rogue")))) {
            Exception refused = assertThrows(Exception.class, agent::enrol);
            assertTrue(String.valueOf(refused).toLowerCase().contains("ssl")
                    || String.valueOf(refused.getCause()).toLowerCase().contains("ssl"), String.valueOf(refused));
        }
        // GIVEN the dispatcher's key among the pins: enrolment passes
        try (EdgeAgent agent = EdgeAgent.open(agent("pinned-3", "https://127.0.0.1:9", dispatcher.url(), "",
                pin("current") + "," + pin("backup")))) {
            assertEquals("pinned-3", agent.enrol().deviceId());
        }
    }
}
