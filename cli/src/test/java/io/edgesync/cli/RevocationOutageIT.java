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
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A revocation committed while Kafka is down reaches a running gateway once Kafka is back, with no retry. */
class RevocationOutageIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void revocationDuringAKafkaOutageIsRefusedByTheGatewayWithinFiveSecondsOfKafkasReturn() throws Exception {
        Path dir = TempDirs.create("revocation-outage-");
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
                    "{\"deviceId\":\"out-1\",\"name\":\"n\",\"deviceType\":\"t\"}", 200, 201)).path("token").asText();
            Await.equalTo(Duration.ofSeconds(10), () -> upload(gateway, token, "r1"), 200, "token accepted");

            // WHEN Kafka is down while an operator revokes the device (one request, never repeated)
            KAFKA.broker().stop();
            send(dispatcher.url() + "/api/v1/devices/out-1/token", "DELETE", credentials.operatorToken(), null, 200, 200);
            assertEquals(1, registryOutboxRows(), "the revocation waits in the outbox (beside its audit events)");

            // THEN once Kafka is back the running gateway refuses the token within 5 s
            KAFKA.broker().start();
            long back = System.nanoTime();
            Await.until(Duration.ofSeconds(5), () -> upload(gateway, token, "r2"), s -> s == 401 || s == 403,
                    "the gateway refusing the token revoked during the outage");
            long millis = (System.nanoTime() - back) / 1_000_000;
            assertTrue(millis < 5000, "refused " + millis + " ms after Kafka came back");
            Await.equalTo(Duration.ofSeconds(10), RevocationOutageIT::outboxRows, 0L, "the outbox emptied");
            System.out.println("revocation committed during the outage refused " + millis + " ms after Kafka returned");
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    private static long outboxRows() throws Exception {
        try (Connection c = PG.dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM event_outbox")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows waiting for device.registry (the outbox also carries audit.events). */
    private static long registryOutboxRows() throws Exception {
        try (Connection c = PG.dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT count(*) FROM event_outbox WHERE topic = 'device.registry' AND record_key = 'out-1'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private int upload(IngestGateway gateway, String token, String id) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/api/v1/sync/telemetry"))
                .timeout(Duration.ofSeconds(2))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("[{\"id\":\"" + id + "\",\"deviceId\":\"out-1\","
                        + "\"sensorId\":\"s\",\"timestamp\":1700000000000,\"dataType\":\"t\",\"value\":1}]"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    private String send(String url, String method, String bearer, String body, int low, int high) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearer)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() >= low && r.statusCode() <= high, r.statusCode() + " " + r.body());
        return r.body();
    }
}
