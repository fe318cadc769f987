package io.edgesync.gateway;

import static io.edgesync.gateway.Uploads.errorCode;
import static io.edgesync.gateway.Uploads.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.KafkaTopics;
import io.edgesync.testsupport.TestKeystores;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HTTPS with TLS 1.3 only, and mutual TLS in which the client certificate's CN names the device. */
class GatewayTlsIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    static final String DEVICE = "device-tls-1";
    static Path dir;
    static Path serverKeys;
    static Path clientKeys;
    static Path clientTrust;
    static IngestGateway mutual;
    static IngestGateway serverOnly;

    @BeforeAll
    static void start() {
        dir = TempDirs.create("gateway-tls-");
        serverKeys = TestKeystores.keyPair(dir, "server", "localhost");
        clientKeys = TestKeystores.keyPair(dir, "client", DEVICE);
        clientTrust = TestKeystores.trusting(dir, serverKeys, "server");
        Path serverTrust = TestKeystores.trusting(dir, clientKeys, "client");
        Map<String, String> tls = Map.of(
                "kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                "gateway.port", "0",
                "gateway.tls.keystore", serverKeys.toString(),
                "gateway.tls.keystore-password", TestKeystores.PASSWORD);
        mutual = IngestGateway.start(ConfigSource.of(tls).with("gateway.auth-mode", "mtls")
                .with("gateway.tls.truststore", serverTrust.toString())
                .with("gateway.tls.truststore-password", TestKeystores.PASSWORD));
        serverOnly = IngestGateway.start(ConfigSource.of(tls).with("gateway.auth-mode", "none"));
        Await.equalTo(Duration.ofSeconds(60), () -> mutual.ready() && serverOnly.ready(), true, "gateways ready");
    }

    @AfterAll
    static void stop() {
        if (mutual != null) {
            mutual.close();
        }
        if (serverOnly != null) {
            serverOnly.close();
        }
        TempDirs.deleteRecursively(dir);
    }

    private static SSLSocket handshake(IngestGateway gateway, String protocol) throws Exception {
        SSLContext context = TestKeystores.clientContext(clientKeys, clientTrust);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", gateway.port());
        socket.setEnabledProtocols(new String[] {protocol});
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        return socket;
    }

    @Test
    void speaksTls13AndRefusesTls12() throws Exception {
        assertTrue(mutual.url().startsWith("https://"));
        for (IngestGateway gateway : List.of(mutual, serverOnly)) {
            try (SSLSocket socket = handshake(gateway, "TLSv1.3")) {
                assertEquals("TLSv1.3", socket.getSession().getProtocol());
            }
            assertThrows(SSLException.class, () -> {
                try (SSLSocket socket = handshake(gateway, "TLSv1.2")) {
                    socket.getInputStream().read();
                }
            });
        }
    }

    @Test
    void clientCertificateCommonNameNamesTheDevice() throws Exception {
        // GIVEN a device presenting a certificate with CN=device-tls-1
        HttpClient client = HttpClient.newBuilder().sslContext(TestKeystores.clientContext(clientKeys, clientTrust))
                .version(HttpClient.Version.HTTP_1_1).build();
        // WHEN it uploads records without any token
        HttpResponse<String> ok = Uploads.post(client, mutual.url(), null, "application/json", null,
                Json.toBytes(Uploads.records(DEVICE, "tls", 5)));
        // THEN they are accepted and stored under its key
        assertEquals(200, ok.statusCode(), ok.body());
        String batchId = json(ok.body()).path("batchId").asText();
        List<ConsumerRecord<byte[], byte[]>> stored = KafkaTopics.readAll(KAFKA.bootstrapServers(),
                Topics.TELEMETRY_RAW.name()).stream()
                .filter(r -> batchId.equals(Uploads.value(r).path("batchId").asText())).toList();
        assertEquals(5, stored.size());
        assertTrue(stored.stream().allMatch(r -> DEVICE.equals(Uploads.key(r))));
        // and it cannot speak for another device
        HttpResponse<String> other = Uploads.post(client, mutual.url(), null, "application/json", null,
                Uploads.envelope("someone-else", "tls-other", Uploads.records("someone-else", "o", 1)));
        assertEquals(403, other.statusCode(), other.body());
        assertEquals("forbidden", errorCode(other));
    }

    @Test
    void withoutAClientCertificateMutualTlsRefusesTheConnection() throws Exception {
        HttpClient anonymous = HttpClient.newBuilder().sslContext(TestKeystores.clientContext(null, clientTrust))
                .version(HttpClient.Version.HTTP_1_1).build();
        assertThrows(UncheckedIOException.class, () -> Uploads.post(anonymous, mutual.url(), null, "application/json",
                null, Json.toBytes(Uploads.records(DEVICE, "anon", 1))));
        // a server-only TLS gateway accepts the same client
        HttpResponse<String> ok = Uploads.post(anonymous, serverOnly.url(), null, "application/json", null,
                Json.toBytes(Uploads.records(DEVICE, "anon", 1)));
        assertEquals(200, ok.statusCode(), ok.body());
    }
}
