package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.dispatcher.auth.LocalCredentials;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import io.edgesync.testsupport.TestKeystores;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dispatcher on the gateway's TLS code path: TLS 1.3 only, and mutual TLS in which a device's
 * certificate CN must name the device its token (or its registration) is for.
 */
class DispatcherTlsIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static Path dir;
    static LocalCredentials credentials;
    static Path serverKeys;
    static Path clientTrust;
    static Path pumpA;
    static Path pumpB;
    static CommandDispatcher mutual;
    static CommandDispatcher serverOnly;

    @BeforeAll
    static void start() {
        dir = TempDirs.create("dispatcher-tls-");
        credentials = LocalCredentials.loadOrCreate(dir);
        serverKeys = TestKeystores.keyPair(dir, "server", "localhost");
        pumpA = TestKeystores.keyPair(dir, "pump-a", "pump-a");
        pumpB = TestKeystores.keyPair(dir, "pump-b", "pump-b");
        clientTrust = TestKeystores.trusting(dir, serverKeys, "server");
        Path devices = TestKeystores.trustingAll(dir, "devices", pumpA, pumpB);
        Map<String, String> tls = Map.of(
                "kafka.bootstrap-servers", KAFKA.bootstrapServers(), "database.jdbc-url", PG.jdbcUrl(),
                "dispatcher.port", "0", "dispatcher.signing-key-file", credentials.signingKeyFile().toString(),
                "dispatcher.operator-token", credentials.operatorToken(),
                "dispatcher.enrollment-key", credentials.enrollmentKey(),
                "dispatcher.tls.keystore", serverKeys.toString(),
                "dispatcher.tls.keystore-password", TestKeystores.PASSWORD);
        serverOnly = CommandDispatcher.start(DispatcherConfig.from(ConfigSource.of(tls)));
        mutual = CommandDispatcher.start(DispatcherConfig.from(ConfigSource.of(tls)
                .with("dispatcher.tls.truststore", devices.toString())
                .with("dispatcher.tls.truststore-password", TestKeystores.PASSWORD)));
    }

    @AfterAll
    static void stop() {
        for (CommandDispatcher d : new CommandDispatcher[] {mutual, serverOnly}) {
            if (d != null) {
                d.close();
            }
        }
        TempDirs.deleteRecursively(dir);
    }

    private static SSLSocket handshake(CommandDispatcher dispatcher, String protocol) throws Exception {
        SSLContext context = TestKeystores.clientContext(pumpA, clientTrust);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", dispatcher.port());
        socket.setEnabledProtocols(new String[] {protocol});
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        return socket;
    }

    private static Api api(CommandDispatcher dispatcher, Path clientKeys) throws Exception {
        return new Api(dispatcher.url(), HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .sslContext(TestKeystores.clientContext(clientKeys, clientTrust)).build());
    }

    private static String register(Api api, String body) {
        Api.Response r = api.post("/api/v1/devices/register", credentials.enrollmentKey(), body);
        assertEquals(201, r.status(), r.raw());
        return r.text("token");
    }

    @Test
    void speaksTls13AndRefusesTls12() throws Exception {
        for (CommandDispatcher dispatcher : List.of(mutual, serverOnly)) {
            assertTrue(dispatcher.url().startsWith("https://"), dispatcher.url());
            try (SSLSocket socket = handshake(dispatcher, "TLSv1.3")) {
                assertEquals("TLSv1.3", socket.getSession().getProtocol());
            }
            assertThrows(SSLException.class, () -> {
                try (SSLSocket socket = handshake(dispatcher, "TLSv1.2")) {
                    socket.getInputStream().read();
                }
            });
        }
    }

    @Test
    void aTokenForOneDeviceOverAnotherDevicesCertificateIsRefused() throws Exception {
        // GIVEN pump-a and pump-b enrolled over mutual TLS with their own certificates
        Api overA = api(mutual, pumpA);
        Api overB = api(mutual, pumpB);
        String tokenA = register(overA, "{\"deviceId\":\"pump-a\",\"name\":\"a\",\"deviceType\":\"pump\"}");
        // (a registration without a deviceId takes the certificate's CN)
        Api.Response b = overB.post("/api/v1/devices/register", credentials.enrollmentKey(),
                "{\"name\":\"b\",\"deviceType\":\"pump\"}");
        assertEquals(201, b.status(), b.raw());
        assertEquals("pump-b", b.text("deviceId"));
        // WHEN pump-a's token polls over its own certificate THEN it is served
        Api.Response own = overA.get("/api/v1/sync/commands/pump-a?wait=0", tokenA);
        assertEquals(200, own.status(), own.raw());
        // WHEN the same token is presented over pump-b's certificate THEN it is refused
        Api.Response stolen = overB.get("/api/v1/sync/commands/pump-a?wait=0", tokenA);
        assertEquals(403, stolen.status(), stolen.raw());
        assertEquals("forbidden", stolen.errorCode());
        Api.Response heartbeat = overB.post("/api/v1/devices/pump-a/heartbeat", tokenA, "{}");
        assertEquals(403, heartbeat.status(), heartbeat.raw());
        // and pump-b's certificate cannot enrol under another id with the fleet key
        Api.Response claim = overB.post("/api/v1/devices/register", credentials.enrollmentKey(),
                "{\"deviceId\":\"pump-c\",\"name\":\"c\",\"deviceType\":\"pump\"}");
        assertEquals(403, claim.status(), claim.raw());
        assertEquals("forbidden", claim.errorCode());
    }

    @Test
    void withoutAClientCertificateMutualTlsRefusesTheConnectionAndServerTlsServes() throws Exception {
        Api anonymousMutual = api(mutual, null);
        assertThrows(java.io.UncheckedIOException.class, () -> anonymousMutual.get("/health/live", null));
        Api anonymous = api(serverOnly, null);
        String token = register(anonymous, "{\"deviceId\":\"pump-plain\",\"name\":\"p\",\"deviceType\":\"pump\"}");
        Api.Response poll = anonymous.get("/api/v1/sync/commands/pump-plain?wait=0", token);
        assertEquals(200, poll.status(), poll.raw());
    }
}
