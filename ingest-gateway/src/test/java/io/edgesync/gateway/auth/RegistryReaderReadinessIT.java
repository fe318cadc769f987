package io.edgesync.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.gateway.GatewayConfig;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.shared.auth.RegistryEntry;
import io.edgesync.shared.auth.TokenKind;
import io.edgesync.shared.auth.Tokens;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The death of the gateway's {@code device.registry} reader, seen from outside the real gateway (auth mode
 * {@code jwt}, wired by {@link Authenticators} as in production). Its reader is a real consumer of the real
 * broker whose poll can be made to throw: while it fails, {@code GET /health/ready} answers 503 {@code DOWN}
 * and uploads are refused 503 rather than judged on a registry that stopped following; the restarted reader
 * applies a revocation written meanwhile. A reader killed by an {@link Error} is not restarted and the
 * gateway stays not ready.
 */
class RegistryReaderReadinessIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension(1);

    @TempDir
    Path dir;

    @Test
    void aFailingRegistryReaderMakesTheGatewayNotReadyAndTheRestartedReaderAppliesARevocationWrittenMeanwhile()
            throws Exception {
        var key = Tokens.generateKey();
        String token = new Tokens.Issuer(key, Clock.systemUTC())
                .issue("ready-1", TokenKind.DEVICE, "device", 1, Duration.ofHours(1)).token();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<DeviceRegistryCache> reader = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            publish(producer, new RegistryEntry("ready-1", RegistryEntry.ACTIVE, 1, 1));
            try (IngestGateway gateway = start(key, failure, reader)) {
                // GIVEN the gateway is ready and takes an upload
                Await.equalTo(WAIT, () -> get(gateway.url() + "/health/ready").statusCode(), 200, "ready");
                assertEquals(200, upload(gateway, token, "ready-1", "b-1").statusCode());

                // WHEN its registry reader dies (every poll fails; it is restarted and fails again)
                failure.set(new KafkaException("injected failure of the registry reader"));
                // THEN /health/ready answers 503 DOWN, and an upload is refused 503 rather than judged on a stale registry
                HttpResponse<String> down = Await.until(WAIT, () -> get(gateway.url() + "/health/ready"),
                        r -> r.statusCode() == 503, "not ready while the reader is dead");
                JsonNode health = Json.mapper().readTree(down.body());
                assertEquals("DOWN", health.path("status").asText(), down.body());
                assertEquals("ingest-gateway", health.path("service").asText(), down.body());
                Await.until(WAIT, () -> reader.get().restarts(), n -> n >= 2, "the reader restarted and failed again");
                assertEquals(503, get(gateway.url() + "/health/ready").statusCode());
                assertUnavailable(upload(gateway, token, "ready-1", "b-2"));
                // AND the device is revoked meanwhile
                publish(producer, new RegistryEntry("ready-1", RegistryEntry.REVOKED, 1, 2));

                // WHEN the reader can read again
                failure.set(null);
                // THEN the gateway is ready again, and the revocation written while it was dead is in force
                HttpResponse<String> up = Await.until(WAIT, () -> get(gateway.url() + "/health/ready"),
                        r -> r.statusCode() == 200, "ready again after the reader recovered");
                assertEquals("UP", Json.mapper().readTree(up.body()).path("status").asText());
                HttpResponse<String> revoked = upload(gateway, token, "ready-1", "b-3");
                assertEquals(403, revoked.statusCode(), revoked.body());
                assertEquals("token_revoked", Json.mapper().readTree(revoked.body()).path("error").path("code").asText(),
                        revoked.body());
            }
        }
    }

    @Test
    void aRegistryReaderKilledByAnErrorLeavesTheGatewayNotReady() throws Exception {
        var key = Tokens.generateKey();
        String token = new Tokens.Issuer(key, Clock.systemUTC())
                .issue("ready-2", TokenKind.DEVICE, "device", 1, Duration.ofHours(1)).token();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<DeviceRegistryCache> reader = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            publish(producer, new RegistryEntry("ready-2", RegistryEntry.ACTIVE, 1, 1));
            try (IngestGateway gateway = start(key, failure, reader)) {
                // GIVEN the gateway is ready
                Await.equalTo(WAIT, () -> get(gateway.url() + "/health/ready").statusCode(), 200, "ready");

                // WHEN an Error ends the reader's thread
                failure.set(new LinkageError("injected death of the registry reader"));
                Await.until(WAIT, () -> reader.get().reading(), alive -> !alive, "the reader thread ended");
                failure.set(null);

                // THEN the gateway is not ready and refuses uploads 503 even though Kafka answers again
                HttpResponse<String> down = get(gateway.url() + "/health/ready");
                assertEquals(503, down.statusCode(), down.body());
                assertEquals("DOWN", Json.mapper().readTree(down.body()).path("status").asText(), down.body());
                assertUnavailable(upload(gateway, token, "ready-2", "b-1"));
                assertEquals(0, reader.get().restarts());
                assertTrue(!gateway.ready());
            }
        }
    }

    /** The real gateway with auth mode jwt, its registry reader's consumer throwing {@code failure} while set. */
    private IngestGateway start(com.nimbusds.jose.jwk.ECKey key, AtomicReference<Throwable> failure,
                                AtomicReference<DeviceRegistryCache> reader) {
        Path publicKey = dir.resolve("dispatcher-public.jwk");
        Tokens.writeKey(key.toPublicJWK(), publicKey);
        GatewayConfig config = GatewayConfig.from(ConfigSource.of(Map.of(
                "kafka.bootstrap-servers", KAFKA.bootstrapServers(), "gateway.port", "0",
                "gateway.auth-mode", "jwt", "gateway.jwt-public-key-file", publicKey.toString())));
        Authenticators.Chosen auth = Authenticators.from(config, Clock.systemUTC(), kafka -> {
            reader.set(DeviceRegistryCache.start(() -> new FlakyConsumer(kafka.bootstrapServers(), failure),
                    Duration.ofMillis(100)));
            return reader.get();
        });
        return IngestGateway.start(config, auth);
    }

    private static void assertUnavailable(HttpResponse<String> refused) throws Exception {
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("unavailable", Json.mapper().readTree(refused.body()).path("error").path("code").asText(),
                refused.body());
    }

    private static HttpResponse<String> upload(IngestGateway gateway, String token, String device, String batchId)
            throws Exception {
        byte[] body = Json.toBytes(Map.of("deviceId", device, "batchId", batchId, "records", List.of(Map.of(
                "id", batchId, "deviceId", device, "sensorId", "temp-1", "timestamp", 1_700_000_000_000L,
                "dataType", "temperature", "value", 20.5, "unit", "C", "version", 1))));
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/api/v1/sync/telemetry"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void publish(KafkaProducer<String, byte[]> producer, RegistryEntry entry) throws Exception {
        producer.send(new ProducerRecord<>(Topics.DEVICE_REGISTRY.name(), entry.deviceId(), Json.toBytes(entry))).get();
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** A real consumer of the test broker whose poll throws {@code failure} while it is set. */
    private static final class FlakyConsumer extends KafkaConsumer<String, byte[]> {
        private final AtomicReference<Throwable> failure;

        FlakyConsumer(String bootstrap, AtomicReference<Throwable> failure) {
            super(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                    new ByteArrayDeserializer());
            this.failure = failure;
        }

        @Override
        public ConsumerRecords<String, byte[]> poll(Duration timeout) {
            Throwable t = failure.get();
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            return super.poll(timeout);
        }
    }
}
