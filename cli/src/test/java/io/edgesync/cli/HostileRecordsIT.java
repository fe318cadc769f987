package io.edgesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.embedded.TempDirs;
import io.edgesync.gateway.GatewayConfig;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.gateway.auth.TrustingAuthenticator;
import io.edgesync.processor.ProcessorConfig;
import io.edgesync.processor.StreamProcessor;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.sink.CockroachSink;
import io.edgesync.sink.SinkConfig;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.KafkaTopics;
import io.edgesync.testsupport.PostgresExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12, points 1 and 2, every piece real (gateway, broker, processor, sink, PostgreSQL): an
 * upload at every documented bound is stored, one unit over is rejected with the documented code;
 * and records no later stage can write never stop another device's records.
 */
class HostileRecordsIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final int MAX_BATCH_RECORDS = 40;
    private static final int MAX_BATCH_BYTES = 256 * 1024;

    static Path dir;
    static IngestGateway gateway;
    /** A second gateway whose future bound is past year 9999, to reach the absolute latest timestamp. */
    static IngestGateway farFuture;
    static StreamProcessor processor;
    static CockroachSink sink;

    @BeforeAll
    static void startControlPlane() {
        dir = TempDirs.create("hostile-");
        Map<String, String> settings = new HashMap<>(Map.of(
                "kafka.bootstrap-servers", KAFKA.bootstrapServers(),
                "database.jdbc-url", PG.jdbcUrl(),
                "gateway.port", "0",
                "gateway.max-batch-records", Integer.toString(MAX_BATCH_RECORDS),
                "gateway.max-batch-bytes", Integer.toString(MAX_BATCH_BYTES),
                "processor.port", "-1",
                "sink.port", "-1",
                "processor.state-dir", dir.resolve("streams").toString()));
        gateway = IngestGateway.start(GatewayConfig.from(ConfigSource.of(settings)), new TrustingAuthenticator());
        settings.put("gateway.max-timestamp-ahead", "3000000d");
        farFuture = IngestGateway.start(GatewayConfig.from(ConfigSource.of(settings)), new TrustingAuthenticator());
        processor = StreamProcessor.start(ProcessorConfig.from(ConfigSource.of(settings)));
        sink = CockroachSink.start(SinkConfig.from(ConfigSource.of(settings)));
    }

    @AfterAll
    static void stopControlPlane() {
        gateway.close();
        farFuture.close();
        processor.close();
        sink.close();
        TempDirs.deleteRecursively(dir);
    }

    @Test
    void anUploadAtEveryBoundIsStoredAndOneUnitOverIsRejectedWithItsCode() throws Exception {
        String device = "d".repeat(127) + "1"; // deviceId at its 128-character bound
        long now = System.currentTimeMillis();
        long ahead = Duration.ofDays(1).toMillis();
        List<Map<String, Object>> records = new ArrayList<>();
        Map<Integer, String> expectedRejections = new TreeMap<>();
        // each pair: at the bound (accepted), one unit over (rejected with the code)
        pair(records, expectedRejections, Map.of("id", "i".repeat(256)), Map.of("id", "j".repeat(257)), "invalid_field");
        pair(records, expectedRejections, Map.of("sensorId", "s".repeat(256)), Map.of("sensorId", "s".repeat(257)), "invalid_field");
        pair(records, expectedRejections, Map.of("dataType", "t".repeat(256)), Map.of("dataType", "t".repeat(257)), "invalid_field");
        pair(records, expectedRejections, Map.of("unit", "u".repeat(256)), Map.of("unit", "u".repeat(257)), "invalid_field");
        pair(records, expectedRejections, Map.of("timestamp", 0L), Map.of("timestamp", -1L), "invalid_field");
        pair(records, expectedRejections, Map.of("timestamp", "1970-01-01T00:00:00Z"),
                Map.of("timestamp", "1969-12-31T23:59:59.999Z"), "invalid_field");
        // the future bound follows the gateway's clock: a minute inside and a minute past it
        pair(records, expectedRejections, Map.of("timestamp", now + ahead - 60_000),
                Map.of("timestamp", now + ahead + 60_000), "invalid_field");
        pair(records, expectedRejections, Map.of("timestamp", Instant.ofEpochMilli(now + ahead - 60_000).toString()),
                Map.of("timestamp", Instant.ofEpochMilli(now + ahead + 60_000).toString()), "invalid_field");
        pair(records, expectedRejections, Map.of("value", Double.MAX_VALUE), Map.of("value", "1e309"), "invalid_field");
        pair(records, expectedRejections, Map.of("version", Integer.MAX_VALUE), Map.of("version", 2147483648L), "invalid_field");
        pair(records, expectedRejections, Map.of("metadata", metadataOf(8192)), Map.of("metadata", metadataOf(8193)),
                "metadata_too_large");
        pair(records, expectedRejections, Map.of("pad", ""), Map.of("pad", ""), "record_too_large"); // sized below
        pair(records, expectedRejections, Map.of("id", "ok-\ud83d\ude00"), Map.of("id", "nul-\u0000"), "invalid_field");
        pair(records, expectedRejections, Map.of("sensorId", "s-\ud83d\ude00"), Map.of("sensorId", "lone-\ud800"), "invalid_field");
        pair(records, expectedRejections, Map.of("metadata", Map.of("k", "v")), Map.of("metadata", Map.of("k", "\u0000")),
                "invalid_field");
        int tooLargeAt = 2 * 11;
        List<String> jsons = new ArrayList<>();
        for (Map<String, Object> r : records) {
            // non-ASCII escaped, so the lone surrogate reaches the gateway as the JSON escape a device would send
            jsons.add(Json.mapper().writer().with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII
                    .mappedFeature()).writeValueAsString(r).replace("\"1e309\"", "1e309"));
        }
        jsons.set(tooLargeAt, padTo(jsons.get(tooLargeAt), 65_536));
        jsons.set(tooLargeAt + 1, padTo(jsons.get(tooLargeAt + 1), 65_537));
        String batchId = "b".repeat(128);
        String body = "{\"deviceId\":\"" + device + "\",\"batchId\":\"" + batchId + "\",\"records\":["
                + String.join(",", jsons) + "]}";

        // WHEN it is uploaded
        HttpResponse<String> r = post(gateway, body);

        // THEN every record one unit over is rejected with its code, every other is accepted
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = Json.mapper().readTree(r.body());
        assertEquals(batchId, answer.path("batchId").asText());
        Map<Integer, String> rejected = new TreeMap<>();
        answer.path("rejected").forEach(x -> rejected.put(x.path("index").asInt(), x.path("code").asText()));
        assertEquals(expectedRejections, rejected);
        int accepted = records.size() - expectedRejections.size();
        assertEquals(accepted, answer.path("accepted").asInt());
        // AND every accepted one is stored in telemetry_data, at its bound
        Await.equalTo(Duration.ofSeconds(60), () -> count("SELECT count(*) FROM telemetry_data WHERE device_id = ?",
                device), (long) accepted, "rows of the bounds upload");
        assertEquals(1, count("SELECT count(*) FROM telemetry_data WHERE device_id = ? AND id = ?", device, "i".repeat(256)));
        assertEquals(1, count("SELECT count(*) FROM telemetry_data WHERE device_id = ? AND id = ?", device, "ok-\ud83d\ude00"));
        assertEquals(2, count("SELECT count(*) FROM telemetry_data WHERE device_id = ? AND \"timestamp\" = to_timestamp(0)", device));
        assertEquals(1, count("SELECT count(*) FROM telemetry_data WHERE device_id = ? AND version = 2147483647", device));
        assertEquals(1, count("SELECT count(*) FROM telemetry_data WHERE device_id = ? AND value = ?", device, Double.MAX_VALUE));
        assertEquals(1, count("SELECT count(*) FROM telemetry_data WHERE device_id = ? AND length(unit) = 256", device));
        assertEquals(1, count("SELECT count(*) FROM telemetry_data WHERE device_id = ? AND length(metadata->>'k') > 8000", device));
    }

    @Test
    void envelopeAndBatchBoundsAreEnforcedOneUnitOver() throws Exception {
        String rec = "{\"id\":\"r\",\"sensorId\":\"s\",\"timestamp\":1,\"dataType\":\"t\",\"value\":1}";
        // deviceId and batchId: 128 accepted, 129 or NUL 400 invalid_request
        assertEquals(400, code(post(gateway, envelope("e".repeat(129), "b", rec)), "invalid_request"));
        assertEquals(400, code(post(gateway, envelope("env-dev", "b".repeat(129), rec)), "invalid_request"));
        assertEquals(400, code(post(gateway, envelope("env-dev", "b\\u0000", rec)), "invalid_request"));
        assertEquals(400, code(post(gateway, envelope("env-dev\\ud800", "b", rec)), "invalid_request"));
        assertEquals(200, post(gateway, envelope("e".repeat(128), "b".repeat(128), rec)).statusCode());
        // records per batch: at the limit accepted, one more 413
        List<String> many = new ArrayList<>();
        for (int i = 0; i < MAX_BATCH_RECORDS; i++) {
            many.add(rec.replace("\"r\"", "\"r" + i + "\""));
        }
        assertEquals(200, post(gateway, envelope("env-dev", "many", String.join(",", many))).statusCode());
        many.add(rec);
        assertEquals(413, code(post(gateway, envelope("env-dev", "many", String.join(",", many))), "payload_too_large"));
        // bytes per batch: exactly the limit accepted, one byte more 413
        String exact = padBody(envelope("env-dev", "bytes", rec), MAX_BATCH_BYTES);
        assertEquals(200, post(gateway, exact).statusCode());
        assertEquals(413, code(post(gateway, exact + " "), "payload_too_large"));
        Await.equalTo(Duration.ofSeconds(60), () -> count("SELECT count(*) FROM telemetry_data WHERE device_id = ?",
                "env-dev"), (long) MAX_BATCH_RECORDS + 1, "rows of env-dev");
        assertEquals(1, count("SELECT count(*) FROM telemetry_data WHERE device_id = ?", "e".repeat(128)));
    }

    @Test
    void theLatestTimestampAnyStageAcceptsIsStoredAndOneMillisecondLaterIsRejected() throws Exception {
        String body = "{\"deviceId\":\"far-dev\",\"records\":["
                + "{\"id\":\"last\",\"sensorId\":\"s\",\"timestamp\":\"9999-12-31T23:59:59.999Z\",\"dataType\":\"t\",\"value\":1},"
                + "{\"id\":\"last-ms\",\"sensorId\":\"s\",\"timestamp\":253402300799999,\"dataType\":\"t\",\"value\":1},"
                + "{\"id\":\"over\",\"sensorId\":\"s\",\"timestamp\":253402300800000,\"dataType\":\"t\",\"value\":1},"
                + "{\"id\":\"over-iso\",\"sensorId\":\"s\",\"timestamp\":\"+10000-01-01T00:00:00Z\",\"dataType\":\"t\",\"value\":1},"
                + "{\"id\":\"overflow\",\"sensorId\":\"s\",\"timestamp\":\"+999999999-12-31T23:59:59Z\",\"dataType\":\"t\",\"value\":1},"
                + "{\"id\":\"long\",\"sensorId\":\"s\",\"timestamp\":99999999999999999999,\"dataType\":\"t\",\"value\":1}]}";
        HttpResponse<String> r = post(farFuture, body);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode answer = Json.mapper().readTree(r.body());
        assertEquals(2, answer.path("accepted").asInt(), r.body());
        List<String> codes = new ArrayList<>();
        answer.path("rejected").forEach(x -> codes.add(x.path("index").asInt() + ":" + x.path("code").asText()));
        assertEquals(List.of("2:invalid_field", "3:invalid_field", "4:invalid_field", "5:invalid_field"), codes);
        Await.equalTo(Duration.ofSeconds(60), () -> count("SELECT count(*) FROM telemetry_data WHERE device_id = ?"
                + " AND \"timestamp\" = '9999-12-31T23:59:59.999Z'::timestamptz", "far-dev"), 2L, "rows at year 9999");
    }

    @Test
    void recordsNoStageCanWriteNeverStopAnotherDevicesRecords() throws Exception {
        long dlqBefore = KafkaTopics.endOffsetSum(KAFKA.bootstrapServers(), Topics.TELEMETRY_DLQ.name());
        // GIVEN device A's records that no later stage can write, written to the topics as any producer may
        String valid = "{\"id\":\"a-%s\",\"deviceId\":\"dev-a\",\"sensorId\":\"s\",\"timestamp\":1,\"dataType\":\"t\",\"value\":1%s}";
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            // too large to copy into any output of the processor
            producer.send(raw(Topics.TELEMETRY_RAW.name(), valid.formatted("big", ",\"pad\":\"" + "x".repeat(700_000) + "\""))).get();
            // text the database cannot store, straight into the processor and straight into the sink's input
            producer.send(raw(Topics.TELEMETRY_RAW.name(), valid.formatted("nul\\u0000", ""))).get();
            for (String id : List.of("clean-nul\u0000", "clean-lone\ud800")) {
                producer.send(new ProducerRecord<>(Topics.TELEMETRY_CLEAN.name(), "dev-a".getBytes(StandardCharsets.UTF_8),
                        Json.toBytes(new io.edgesync.shared.model.TelemetryRecord(id, "dev-a", "s", 1, "t", 1, null, null,
                                1, 1L, "b")))).get();
            }
            producer.send(raw(Topics.TELEMETRY_RAW.name(), "{not json")).get();
        }
        // WHEN device B uploads through the gateway right after
        long start = System.nanoTime();
        List<String> recs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            recs.add("{\"id\":\"b-" + i + "\",\"sensorId\":\"s\",\"timestamp\":1700000000000,\"dataType\":\"t\",\"value\":" + i + "}");
        }
        assertEquals(200, post(gateway, envelope("dev-b", "b-batch", String.join(",", recs))).statusCode());

        // THEN B's records land within seconds
        Await.equalTo(Duration.ofSeconds(20), () -> count("SELECT count(*) FROM telemetry_data WHERE device_id = ?",
                "dev-b"), 20L, "device B's rows");
        System.out.printf("device B landed %d ms after device A's poison%n", (System.nanoTime() - start) / 1_000_000);
        // AND each of A's records is in telemetry.dlq with its reason, none in the table
        Await.until(Duration.ofSeconds(30), () -> KafkaTopics.endOffsetSum(KAFKA.bootstrapServers(),
                Topics.TELEMETRY_DLQ.name()) - dlqBefore, n -> n >= 5, "dead letters");
        Map<String, Long> reasons = new TreeMap<>();
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> dead =
                KafkaTopics.readAll(KAFKA.bootstrapServers(), Topics.TELEMETRY_DLQ.name());
        for (var d : dead) { // the other tests of this class write nothing to the DLQ
            Header reason = d.headers().lastHeader("dlq.reason");
            reasons.merge(new String(reason.value(), StandardCharsets.UTF_8), 1L, Long::sum);
        }
        assertEquals(Map.of("record_too_large", 1L, "invalid_field", 1L, "invalid_record", 2L, "not_json", 1L), reasons);
        assertEquals(0, count("SELECT count(*) FROM telemetry_data WHERE device_id = ?", "dev-a"));
        // AND the processor is running (a rebalance may be under way, but it did not fail or stop)
        Await.equalTo(Duration.ofSeconds(30), processor::state, org.apache.kafka.streams.KafkaStreams.State.RUNNING,
                "processor state");
    }

    private static void pair(List<Map<String, Object>> records, Map<Integer, String> rejections,
                             Map<String, Object> atBound, Map<String, Object> over, String code) {
        records.add(record("at-" + records.size(), atBound));
        rejections.put(records.size(), code);
        records.add(record("over-" + records.size(), over));
    }

    private static Map<String, Object> record(String id, Map<String, Object> override) {
        Map<String, Object> r = new java.util.LinkedHashMap<>(Map.of("id", id, "sensorId", "s",
                "timestamp", 1_700_000_000_000L, "dataType", "t", "value", 1.5));
        r.putAll(override);
        return r;
    }

    /** A metadata object whose compact JSON is exactly {@code bytes} long: {"k":"xxx..."}. */
    private static Map<String, Object> metadataOf(int bytes) {
        return Map.of("k", "x".repeat(bytes - "{\"k\":\"\"}".length()));
    }

    /** The record with a "pad" string grown until the record is exactly {@code bytes} long. */
    private static String padTo(String json, int bytes) {
        int grow = bytes - json.getBytes(StandardCharsets.UTF_8).length;
        return json.replace("\"pad\":\"\"", "\"pad\":\"" + "p".repeat(grow) + "\"");
    }

    private static String padBody(String body, int bytes) {
        return body + " ".repeat(bytes - body.getBytes(StandardCharsets.UTF_8).length);
    }

    private static String envelope(String deviceId, String batchId, String records) {
        return "{\"deviceId\":\"" + deviceId + "\",\"batchId\":\"" + batchId + "\",\"records\":[" + records + "]}";
    }

    private static HttpResponse<String> post(IngestGateway to, String body) throws Exception {
        return DeviceHttp.send(HttpRequest.newBuilder(URI.create(to.url() + "/api/v1/sync/telemetry"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The status, after checking the body is the error shape with this code. */
    private static int code(HttpResponse<String> r, String code) throws Exception {
        JsonNode error = Json.mapper().readTree(r.body()).path("error");
        assertEquals(code, error.path("code").asText(), r.body());
        return r.statusCode();
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static ProducerRecord<byte[], byte[]> raw(String topic, String value) {
        return new ProducerRecord<>(topic, "dev-a".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    private static long count(String sql, Object... args) throws Exception {
        try (Connection c = PG.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
