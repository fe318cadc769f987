package io.edgesync.gateway.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.TelemetryRecord;
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
}
