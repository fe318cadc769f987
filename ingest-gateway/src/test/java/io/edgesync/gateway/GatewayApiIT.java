package io.edgesync.gateway;

import static io.edgesync.gateway.Uploads.errorCode;
import static io.edgesync.gateway.Uploads.json;
import static io.edgesync.gateway.Uploads.post;
import static io.edgesync.gateway.Uploads.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.auth.RegistryEntry;
import io.edgesync.shared.auth.TokenKind;
import io.edgesync.shared.auth.Tokens;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.KafkaTopics;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every status the telemetry endpoint answers, against a real broker, with JWT device authentication. */
class GatewayApiIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    static Path dir;
    static ECKey key;
    static Tokens.Issuer issuer;
    static IngestGateway gateway;
    static IngestGateway rateLimited;
    static IngestGateway tinyInFlight;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        dir = TempDirs.create("gateway-api-");
        key = Tokens.generateKey();
        Path publicKey = dir.resolve("dispatcher-public.jwk");
        Tokens.writeKey(key.toPublicJWK(), publicKey);
        issuer = new Tokens.Issuer(key, Clock.systemUTC());
        Map<String, String> common = Map.of(
                "kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                "gateway.port", "0",
                "gateway.auth-mode", "jwt",
                "gateway.jwt-public-key-file", publicKey.toString(),
                "gateway.produce-timeout", "20s");
        gateway = IngestGateway.start(ConfigSource.of(common));
        rateLimited = IngestGateway.start(ConfigSource.of(with(common, Map.of(
                "gateway.rate-limit.records-per-second", "10", "gateway.rate-limit.burst", "100"))));
        tinyInFlight = IngestGateway.start(ConfigSource.of(with(common, Map.of("gateway.max-in-flight-records", "1"))));
        Await.equalTo(Duration.ofSeconds(60), () -> gateway.ready() && rateLimited.ready() && tinyInFlight.ready(),
                true, "gateways ready");
    }

    @AfterAll
    static void stop() {
        for (IngestGateway g : new IngestGateway[] {gateway, rateLimited, tinyInFlight}) {
            if (g != null) {
                g.close();
            }
        }
        TempDirs.deleteRecursively(dir);
    }

    private static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
        Map<String, String> out = new HashMap<>(base);
        out.putAll(more);
        return out;
    }

    private static String token(String deviceId) {
        return issuer.issue(deviceId, TokenKind.DEVICE, "device", 1, Duration.ofHours(1)).token();
    }

    private static HttpResponse<String> postJson(IngestGateway target, String token, byte[] body) {
        return post(HTTP, target.url(), token, "application/json", null, body);
    }

    private static List<ConsumerRecord<byte[], byte[]>> inTopic(String batchId) {
        return KafkaTopics.readAll(KAFKA.bootstrapServers(), Topics.TELEMETRY_RAW.name()).stream()
                .filter(r -> batchId.equals(Uploads.value(r).path("batchId").asText())).toList();
    }

    @Test
    void envelopeIsAcceptedAndEveryRecordIsInTelemetryRawUnderTheDeviceKey() {
        // GIVEN a device with a valid token and 50 records
        String device = "api-envelope-1";
        // WHEN it uploads them in the envelope shape
        HttpResponse<String> response = postJson(gateway, token(device),
                Uploads.envelope(device, "batch-envelope-1", records(device, "env", 50)));
        // THEN 200 with all accepted, and each record is in telemetry.raw with key, receipt and headers
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response.body());
        assertEquals("batch-envelope-1", body.path("batchId").asText());
        assertEquals(50, body.path("accepted").asInt());
        assertEquals(0, body.path("rejected").size());
        List<ConsumerRecord<byte[], byte[]>> stored = inTopic("batch-envelope-1");
        assertEquals(50, stored.size());
        for (ConsumerRecord<byte[], byte[]> r : stored) {
            assertEquals(device, Uploads.key(r));
            JsonNode v = Uploads.value(r);
            assertEquals(device, v.path("deviceId").asText());
            assertTrue(v.path("receivedAt").asLong() > 1_700_000_000_000L, v.toString());
            assertEquals("application/json", Uploads.header(r, Topics.HEADER_CONTENT_TYPE));
            assertEquals(Topics.SCHEMA_VERSION, Uploads.header(r, Topics.HEADER_SCHEMA_VERSION));
        }
        assertEquals(IntStream.range(0, 50).mapToObj(i -> "env-" + i).collect(Collectors.toSet()),
                stored.stream().map(r -> Uploads.value(r).path("id").asText()).collect(Collectors.toSet()));
        // and the value reads back as the shared wire model
        assertEquals(device, Topics.TELEMETRY_RAW.valueSerde().deserializer()
                .deserialize(Topics.TELEMETRY_RAW.name(), stored.get(0).value()).deviceId());
    }

    @Test
    void bareArrayOfRecordsIsAccepted() {
        String device = "api-bare-1";
        HttpResponse<String> response = postJson(gateway, token(device), Json.toBytes(records(device, "bare", 7)));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response.body());
        assertEquals(7, body.path("accepted").asInt());
        String batchId = body.path("batchId").asText();
        assertFalse(batchId.isBlank());
        List<ConsumerRecord<byte[], byte[]>> stored = inTopic(batchId);
        assertEquals(7, stored.size());
        assertTrue(stored.stream().allMatch(r -> device.equals(Uploads.key(r))));
    }

    @Test
    void gzipBodiesOfBothShapesAreAccepted() {
        String device = "api-gzip-1";
        HttpResponse<String> envelope = post(HTTP, gateway.url(), token(device), "application/json", "gzip",
                Uploads.gzip(Uploads.envelope(device, "batch-gzip-1", records(device, "gz", 30))));
        assertEquals(200, envelope.statusCode(), envelope.body());
        assertEquals(30, json(envelope.body()).path("accepted").asInt());
        assertEquals(30, inTopic("batch-gzip-1").size());
        HttpResponse<String> bare = post(HTTP, gateway.url(), token(device), "application/json; charset=utf-8", "gzip",
                Uploads.gzip(Json.toBytes(records(device, "gzbare", 3))));
        assertEquals(200, bare.statusCode(), bare.body());
        assertEquals(3, inTopic(json(bare.body()).path("batchId").asText()).size());
    }

    @Test
    void invalidRecordsAreRejectedOneByOneAndTheValidOnesAccepted() {
        String device = "api-partial-1";
        List<Object> batch = new ArrayList<>(records(device, "ok", 2));
        batch.add(Map.of("id", "no-sensor", "timestamp", 1L, "dataType", "t", "value", 1.0));
        batch.add(Map.of("id", "bad-value", "sensorId", "s", "timestamp", 1L, "dataType", "t", "value", "hot"));
        batch.add(Map.of("id", "other-device", "deviceId", "someone-else", "sensorId", "s", "timestamp", 1L,
                "dataType", "t", "value", 1.0));
        batch.add(Map.of("id", "iso-time", "sensorId", "s", "timestamp", "2026-01-01T00:00:00Z", "dataType", "t",
                "value", 2.5));
        batch.add(Map.of("id", "big-meta", "sensorId", "s", "timestamp", 1L, "dataType", "t", "value", 1.0,
                "metadata", Map.of("blob", "x".repeat(9000))));
        batch.add("not an object");
        HttpResponse<String> response = postJson(gateway, token(device), Uploads.envelope(device, "batch-partial-1", batch));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = json(response.body());
        assertEquals(3, body.path("accepted").asInt());
        Map<Integer, String> codes = new HashMap<>();
        body.path("rejected").forEach(r -> codes.put(r.path("index").asInt(), r.path("code").asText()));
        assertEquals(Map.of(2, "missing_field", 3, "invalid_field", 4, "device_mismatch", 6, "metadata_too_large",
                7, "invalid_field"), codes);
        assertEquals("no-sensor", body.path("rejected").get(0).path("id").asText());
        assertFalse(body.path("rejected").get(0).path("message").asText().isBlank());
        Set<String> stored = inTopic("batch-partial-1").stream().map(r -> Uploads.value(r).path("id").asText())
                .collect(Collectors.toSet());
        assertEquals(Set.of("ok-0", "ok-1", "iso-time"), stored);
    }

    @Test
    void malformedBodiesAre400() {
        String token = token("api-400-1");
        for (byte[] body : List.of("{\"records\": [".getBytes(StandardCharsets.UTF_8),
                "not json".getBytes(StandardCharsets.UTF_8), "{\"deviceId\": \"api-400-1\"}".getBytes(StandardCharsets.UTF_8),
                "{\"records\": 5}".getBytes(StandardCharsets.UTF_8), "42".getBytes(StandardCharsets.UTF_8),
                new byte[0])) {
            HttpResponse<String> response = postJson(gateway, token, body);
            assertEquals(400, response.statusCode(), new String(body, StandardCharsets.UTF_8) + " -> " + response.body());
            assertEquals("malformed_body", errorCode(response));
            assertFalse(json(response.body()).path("error").path("retryable").asBoolean());
        }
        HttpResponse<String> brokenGzip = post(HTTP, gateway.url(), token, "application/json", "gzip",
                "not gzip".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, brokenGzip.statusCode(), brokenGzip.body());
    }

    @Test
    void missingInvalidOrExpiredTokensAre401() {
        byte[] body = Uploads.envelope("api-401-1", "b401", records("api-401-1", "x", 1));
        HttpResponse<String> missing = postJson(gateway, null, body);
        assertEquals(401, missing.statusCode(), missing.body());
        assertEquals("unauthenticated", errorCode(missing));
        HttpResponse<String> garbage = postJson(gateway, "not-a-jwt", body);
        assertEquals(401, garbage.statusCode(), garbage.body());
        assertEquals("unauthenticated", errorCode(garbage));
        String forged = new Tokens.Issuer(Tokens.generateKey(), Clock.systemUTC())
                .issue("api-401-1", TokenKind.DEVICE, "device", 1, Duration.ofHours(1)).token();
        HttpResponse<String> wrongKey = postJson(gateway, forged, body);
        assertEquals(401, wrongKey.statusCode(), wrongKey.body());
        String operator = issuer.issue("api-401-1", TokenKind.OPERATOR, "admin", 1, Duration.ofHours(1)).token();
        assertEquals(401, postJson(gateway, operator, body).statusCode());
        Clock twoHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
        String expired = new Tokens.Issuer(key, twoHoursAgo)
                .issue("api-401-1", TokenKind.DEVICE, "device", 1, Duration.ofHours(1)).token();
        HttpResponse<String> old = postJson(gateway, expired, body);
        assertEquals(401, old.statusCode(), old.body());
        assertEquals("token_expired", errorCode(old));
        assertEquals(0, inTopic("b401").size());
    }

    @Test
    void tokenOfAnotherDeviceIs403() {
        HttpResponse<String> response = postJson(gateway, token("api-403-mine"),
                Uploads.envelope("api-403-theirs", "b403", records("api-403-theirs", "x", 2)));
        assertEquals(403, response.statusCode(), response.body());
        assertEquals("forbidden", errorCode(response));
        assertEquals(0, inTopic("b403").size());
    }

    @Test
    void revokedDeviceIsRefusedWithinFiveSeconds() throws Exception {
        // GIVEN a device whose token works
        String device = "api-revoked-1";
        String token = token(device);
        assertEquals(200, postJson(gateway, token, Uploads.envelope(device, "b-rev-0", records(device, "r0", 1)))
                .statusCode());
        // WHEN the dispatcher writes a revocation to device.registry
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.DEVICE_REGISTRY.name(), device, Json.toBytes(
                    new RegistryEntry(device, RegistryEntry.REVOKED, 1, System.currentTimeMillis())))).get();
        }
        // THEN within 5 s the same token is refused with 403 token_revoked, and nothing more is stored
        long written = System.nanoTime();
        HttpResponse<String> refused = Await.until(Duration.ofSeconds(5),
                () -> postJson(gateway, token, Uploads.envelope(device, "b-rev-1", records(device, "r1", 1))),
                r -> r.statusCode() == 403, "revocation applied");
        assertTrue(Duration.ofNanos(System.nanoTime() - written).compareTo(Duration.ofSeconds(5)) < 0);
        assertEquals("token_revoked", errorCode(refused));
        // a newer token issued after the revocation works again
        String rotated = issuer.issue(device, TokenKind.DEVICE, "device", 2, Duration.ofHours(1)).token();
        assertEquals(200, postJson(gateway, rotated, Uploads.envelope(device, "b-rev-2", records(device, "r2", 1)))
                .statusCode());
    }

    @Test
    void batchOverTheRecordLimitIs413() {
        String device = "api-413-count";
        HttpResponse<String> response = postJson(gateway, token(device),
                Uploads.envelope(device, "b413c", records(device, "c", 5001)));
        assertEquals(413, response.statusCode(), response.body());
        assertEquals("payload_too_large", errorCode(response));
        assertEquals(5000, json(response.body()).path("error").path("details").path("maxRecords").asInt());
        assertEquals(0, inTopic("b413c").size());
    }

    @Test
    void bodyOverTheByteLimitIs413PlainGzippedOrChunked() throws Exception {
        String device = "api-413-bytes";
        byte[] big = Json.toBytes(Map.of("deviceId", device, "records", List.of(), "padding", " ".repeat(5 << 20)));
        HttpResponse<String> plain = postJson(gateway, token(device), big);
        assertEquals(413, plain.statusCode(), plain.body());
        assertEquals("payload_too_large", errorCode(plain));
        HttpResponse<String> gzipped = post(HTTP, gateway.url(), token(device), "application/json", "gzip",
                Uploads.gzip(big));
        assertEquals(413, gzipped.statusCode(), gzipped.body());
        assertEquals("payload_too_large", errorCode(gzipped));
        // a chunked body declares no length; it is cut off at the limit all the same
        HttpResponse<String> chunked = HTTP.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(gateway.url() + Uploads.PATH))
                .header("Authorization", "Bearer " + token(device)).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        assertEquals("payload_too_large", errorCode(chunked));
    }

    @Test
    void wrongContentTypeOrEncodingIs415() {
        String device = "api-415";
        HttpResponse<String> text = post(HTTP, gateway.url(), token(device), "text/plain", null,
                Uploads.envelope(device, "b415", records(device, "x", 1)));
        assertEquals(415, text.statusCode(), text.body());
        assertEquals("unsupported_media_type", errorCode(text));
        HttpResponse<String> none = post(HTTP, gateway.url(), token(device), null, null,
                Uploads.envelope(device, "b415", records(device, "x", 1)));
        assertEquals(415, none.statusCode(), none.body());
        HttpResponse<String> brotli = post(HTTP, gateway.url(), token(device), "application/json", "br",
                Uploads.envelope(device, "b415", records(device, "x", 1)));
        assertEquals(415, brotli.statusCode(), brotli.body());
        assertEquals(0, inTopic("b415").size());
    }

    @Test
    void deviceOverItsRateIs429WithRetryAfter() {
        // GIVEN a gateway allowing 10 records/s with a burst of 100
        String device = "api-429";
        String token = token(device);
        HttpResponse<String> burst = postJson(rateLimited, token, Uploads.envelope(device, "b429-0", records(device, "a", 100)));
        assertEquals(200, burst.statusCode(), burst.body());
        // WHEN the device sends more at once
        HttpResponse<String> over = postJson(rateLimited, token, Uploads.envelope(device, "b429-1", records(device, "b", 50)));
        // THEN 429, retryable, with Retry-After in seconds, and nothing of that batch stored
        assertEquals(429, over.statusCode(), over.body());
        assertEquals("rate_limited", errorCode(over));
        assertTrue(json(over.body()).path("error").path("retryable").asBoolean());
        long retryAfter = Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 6, "Retry-After " + retryAfter);
        assertEquals(0, inTopic("b429-1").size());
        // another device is not affected
        String other = "api-429-other";
        assertEquals(200, postJson(rateLimited, token(other), Uploads.envelope(other, "b429-2", records(other, "c", 5)))
                .statusCode());
    }

    @Test
    void fullInFlightQueueIs503Retryable() {
        String device = "api-503-inflight";
        HttpResponse<String> response = postJson(tinyInFlight, token(device),
                Uploads.envelope(device, "b503", records(device, "x", 2)));
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("unavailable", errorCode(response));
        JsonNode error = json(response.body()).path("error");
        assertTrue(error.path("retryable").asBoolean());
        assertEquals("in_flight_full", error.path("details").path("reason").asText());
        assertTrue(response.headers().firstValue("Retry-After").isPresent());
        assertEquals(0, inTopic("b503").size());
    }

    @Test
    void tenThousandRecordsInTenConcurrentBatchesFromTenDevicesAreAllStoredUnderTheirKeys() {
        // GIVEN 10 devices with 1,000 records each
        List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            String device = "api-fleet-" + d;
            byte[] body = Uploads.envelope(device, "fleet-batch-" + d, records(device, "f" + d, 1000));
            String token = token(device);
            // WHEN they post at the same time
            posts.add(CompletableFuture.supplyAsync(() -> postJson(gateway, token, body),
                    java.util.concurrent.Executors.newSingleThreadExecutor()));
        }
        for (CompletableFuture<HttpResponse<String>> p : posts) {
            HttpResponse<String> response = p.join();
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(1000, json(response.body()).path("accepted").asInt());
        }
        // THEN all 10,000 are in telemetry.raw, each under its own device's key
        Map<String, Set<String>> idsByKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(KAFKA.bootstrapServers(), Topics.TELEMETRY_RAW.name())) {
            JsonNode v = Uploads.value(r);
            if (v.path("batchId").asText().startsWith("fleet-batch-")) {
                assertEquals(v.path("deviceId").asText(), Uploads.key(r));
                idsByKey.computeIfAbsent(Uploads.key(r), k -> new java.util.HashSet<>()).add(v.path("id").asText());
            }
        }
        assertEquals(10, idsByKey.size());
        for (int d = 0; d < 10; d++) {
            int device = d;
            assertEquals(IntStream.range(0, 1000).mapToObj(i -> "f" + device + "-" + i).collect(Collectors.toSet()),
                    idsByKey.get("api-fleet-" + d));
        }
    }

    @Test
    void healthAndMetricsEndpointsReport() {
        String device = "api-metrics";
        List<Object> batch = new ArrayList<>(records(device, "m", 3));
        batch.add(Map.of("id", "m-bad"));
        assertEquals(200, postJson(gateway, token(device), Uploads.envelope(device, "b-metrics", batch)).statusCode());
        assertEquals(401, postJson(gateway, null, Uploads.envelope(device, "b-metrics-2", batch)).statusCode());
        assertEquals(200, Uploads.get(HTTP, gateway.url() + "/health/live").statusCode());
        HttpResponse<String> ready = Uploads.get(HTTP, gateway.url() + "/health/ready");
        assertEquals(200, ready.statusCode());
        assertEquals("UP", json(ready.body()).path("status").asText());
        String metrics = Await.until(Duration.ofSeconds(30), () -> Uploads.get(HTTP, gateway.url() + "/metrics").body(),
                m -> m.contains("status=\"401\""), "request metrics");
        for (String expected : List.of("edgesync_gateway_requests_total{status=\"200\"}",
                "edgesync_gateway_requests_total{status=\"401\"}", "edgesync_gateway_records_accepted_total",
                "edgesync_gateway_records_rejected_total{code=\"missing_field\"}", "edgesync_gateway_batch_size_bucket",
                "edgesync_gateway_produce_latency_seconds_bucket", "edgesync_gateway_in_flight_records",
                "edgesync_gateway_backpressure_rejections_total{reason=\"rate_limited\"}")) {
            assertTrue(metrics.contains(expected), expected + " missing from:\n" + metrics);
        }
        assertNotNull(metrics);
    }
}
