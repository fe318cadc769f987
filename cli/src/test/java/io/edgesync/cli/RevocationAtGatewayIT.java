package io.edgesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.dispatcher.CommandDispatcher;
import io.edgesync.dispatcher.DispatcherConfig;
import io.edgesync.dispatcher.auth.LocalCredentials;
import io.edgesync.embedded.TempDirs;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tokens issued, rotated and revoked by the dispatcher, as a running gateway (auth-mode jwt) sees them. */
class RevocationAtGatewayIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void revokedTokenIsRejectedByARunningGatewayWithinFiveSeconds() throws Exception {
        Path dir = TempDirs.create("revocation-");
        LocalCredentials credentials = LocalCredentials.loadOrCreate(dir);
        ConfigSource config = ConfigSource.of(Map.of(
                "kafka.bootstrap-servers", KAFKA.bootstrapServers(), "database.jdbc-url", PG.jdbcUrl(),
                "dispatcher.port", "0", "gateway.port", "0", "gateway.auth-mode", "jwt",
                "gateway.jwt-public-key-file", credentials.publicKeyFile().toString(),
                "dispatcher.signing-key-file", credentials.signingKeyFile().toString(),
                "dispatcher.operator-token", credentials.operatorToken(),
                "dispatcher.enrollment-key", credentials.enrollmentKey()));
        try (CommandDispatcher dispatcher = CommandDispatcher.start(DispatcherConfig.from(config));
             IngestGateway gateway = IngestGateway.start(config)) {
            Await.equalTo(Duration.ofSeconds(30), gateway::ready, true, "gateway ready (device.registry read)");
            // GIVEN a registered device whose token the gateway accepts
            String token = Json.mapper().readTree(send(dispatcher.url() + "/api/v1/devices/register",
                    "POST", credentials.enrollmentKey(),
                    "{\"deviceId\":\"rev-gw\",\"name\":\"n\",\"deviceType\":\"t\"}", 201)).path("token").asText();
            assertEquals(200, upload(gateway, token, "r1"));
            // WHEN an operator revokes it
            send(dispatcher.url() + "/api/v1/devices/rev-gw/token", "DELETE", credentials.operatorToken(), null, 200);
            long revoked = System.nanoTime();
            // THEN the running gateway refuses it within 5 s
            int status = Await.until(Duration.ofSeconds(5), () -> upload(gateway, token, "r2"),
                    s -> s == 401 || s == 403, "the gateway refusing the revoked token");
            long millis = (System.nanoTime() - revoked) / 1_000_000;
            assertTrue(millis < 5000, "refused after " + millis + " ms");
            // AND a rotated token is accepted again
            String renewed = Json.mapper().readTree(send(dispatcher.url() + "/api/v1/devices/rev-gw/token", "POST",
                    credentials.operatorToken(), null, 200)).path("token").asText();
            Await.equalTo(Duration.ofSeconds(5), () -> upload(gateway, renewed, "r3"), 200, "renewed token accepted");
            System.out.println("revoked token refused by the gateway after " + millis + " ms (status " + status + ")");
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    private int upload(IngestGateway gateway, String token, String id) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/api/v1/sync/telemetry"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("[{\"id\":\"" + id + "\",\"deviceId\":\"rev-gw\","
                        + "\"sensorId\":\"s\",\"timestamp\":1700000000000,\"dataType\":\"t\",\"value\":1}]"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    private String send(String url, String method, String bearer, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearer)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), r.body());
        return r.body();
    }
}
