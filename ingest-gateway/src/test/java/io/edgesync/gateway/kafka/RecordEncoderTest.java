package io.edgesync.gateway.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesync.gateway.api.BatchParser;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.RecordValidator;
import io.edgesync.shared.model.TelemetryRecord;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordEncoderTest {
    private static TelemetryRecord read(byte[] bytes) {
        return Topics.TELEMETRY_RAW.valueSerde().deserializer().deserialize(Topics.TELEMETRY_RAW.name(), bytes);
    }

    @Test
    void encodingReadsBackAsTheSameRecordAsTheSerdeWrites() throws Exception {
        ObjectNode metadata = (ObjectNode) Json.mapper().readTree("{\"fw\": \"1.2\", \"nested\": {\"a\": [1, 2]}}");
        TelemetryRecord full = new TelemetryRecord("r-1", "dev \"1\"", "s-1", 1_700_000_000_123L, "temperature", 21.5,
                "°C", metadata, 3, 1_800_000_000_000L, "batch-1");
        TelemetryRecord minimal = new TelemetryRecord("r-2", "dev", "s", 0, "t", -1e-9, null, null, 1, null, null);
        for (TelemetryRecord r : new TelemetryRecord[] {full, minimal}) {
            byte[] encoded = RecordEncoder.encode(r);
            assertEquals(r, read(encoded));
            assertEquals(Json.mapper().readTree(Json.toBytes(r)), Json.mapper().readTree(encoded));
        }
    }

    @Test
    void everyAcceptedRecordReadsBackAsTheValidatedRecordWithItsReceipt() {
        // GIVEN records in every accepted form: copied as sent, completed, or rewritten
        String body = "[ {\"id\": \"full\", \"deviceId\": \"dev \\\"q\\\"\", \"sensorId\": \"s\", \"timestamp\": 17,"
                + " \"dataType\": \"t\", \"value\": 20, \"unit\": \"°C\", \"metadata\": {\"a\": {\"b\": [1]}},"
                + " \"version\": 4, \"extra\": true },\n"
                + "{\"id\":\"bare\",\"sensorId\":\"s\",\"timestamp\":1,\"dataType\":\"t\",\"value\":1E2}  ,"
                + "{\"id\": \"iso\", \"sensorId\": \"s\", \"timestamp\": \"2026-01-01T00:00:00+01:00\", \"dataType\": \"t\","
                + " \"value\": 1.5},"
                + "{\"id\": \"own-receipt\", \"sensorId\": \"s\", \"timestamp\": 5, \"dataType\": \"t\", \"value\": 2,"
                + " \"batchId\": \"client\", \"receivedAt\": 1},"
                + "{\"id\": \"null-version\", \"sensorId\": \"s\", \"timestamp\": 5, \"dataType\": \"t\", \"value\": 2,"
                + " \"version\": null, \"unit\": null}]";
        BatchParser.Batch batch = new BatchParser(100).parse(body.getBytes(StandardCharsets.UTF_8));
        RecordEncoder.Receipt receipt = new RecordEncoder.Receipt("dev \"q\"", 1_800_000_000_000L, "batch \"7\"");
        for (int i = 0; i < batch.records().size(); i++) {
            BatchParser.RawRecord raw = batch.records().get(i);
            JsonNode node = raw.node(batch.json());
            RecordValidator.Result result = RecordValidator.validate(i, node, "dev \"q\"");
            assertTrue(result.ok(), String.valueOf(result.rejection()));
            // WHEN the gateway makes its Kafka value
            byte[] value = receipt.value(RecordEncoder.Source.of(batch.json(), raw.start(), raw.end(), node),
                    result.record());
            // THEN it reads back as the validated record plus receipt
            assertEquals(result.record().withReceipt(1_800_000_000_000L, "batch \"7\""), read(value),
                    new String(value, StandardCharsets.UTF_8));
        }
    }
}
