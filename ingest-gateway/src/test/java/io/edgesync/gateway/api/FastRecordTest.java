package io.edgesync.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.model.RecordValidator;
import io.edgesync.shared.model.TelemetryRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fast path accepts only what RecordValidator accepts, with the same record. */
class FastRecordTest {
    private static final String PLAIN = "{\"id\": \"r\", \"deviceId\": \"dev\", \"sensorId\": \"s\", \"timestamp\": 17,"
            + " \"dataType\": \"t\", \"value\": 20.25, \"unit\": \"C\", \"metadata\": {\"a\": [1]}, \"version\": 3}";

    private static List<String> variants() {
        List<String> out = new ArrayList<>(List.of(PLAIN,
                "{\"id\": \"r\", \"sensorId\": \"s\", \"timestamp\": 0, \"dataType\": \"t\", \"value\": 7}",
                "{\"id\": \"r\", \"sensorId\": \"s\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": -1e-300}",
                "{\"id\": \"\", \"sensorId\": \"s\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": 1}",
                "{\"id\": \" \", \"sensorId\": \"s\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": 1}",
                "{\"id\": \"" + "x".repeat(257) + "\", \"sensorId\": \"s\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": 1}",
                "{\"id\": \"r\", \"deviceId\": \"other\", \"sensorId\": \"s\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": 1}",
                "{\"id\": \"r\", \"deviceId\": \"\", \"sensorId\": \"s\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": 1}",
                "{\"id\": \"r\", \"sensorId\": \"\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": 1}",
                "{\"id\": \"r\", \"sensorId\": \"s\", \"timestamp\": -1, \"dataType\": \"t\", \"value\": 1}",
                "{\"id\": \"r\", \"sensorId\": \"s\", \"timestamp\": 99999999999999999999, \"dataType\": \"t\", \"value\": 1}",
                "{\"id\": \"r\", \"sensorId\": \"s\", \"timestamp\": 1.5, \"dataType\": \"t\", \"value\": 1}",
                "{\"id\": \"r\", \"sensorId\": \"s\", \"timestamp\": \"2026-01-01T00:00:00Z\", \"dataType\": \"t\", \"value\": 1}",
                "{\"id\": \"r\", \"sensorId\": \"s\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": 1e400}",
                "{\"id\": \"r\", \"sensorId\": \"s\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": 123456789012345678901234567890}",
                "{\"id\": \"r\", \"sensorId\": \"s\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": \"1\"}",
                "{\"id\": \"r\", \"sensorId\": \"s\", \"timestamp\": 1, \"dataType\": \"t\"}",
                "{\"id\": \"r\", \"sensorId\": \"s\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": 1, \"version\": 0}",
                "{\"id\": \"r\", \"sensorId\": \"s\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": 1, \"version\": 3000000000}",
                "{\"id\": \"r\", \"sensorId\": \"s\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": 1, \"version\": null}",
                "{\"id\": \"r\", \"sensorId\": \"s\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": 1, \"unit\": null}",
                "{\"id\": \"r\", \"sensorId\": \"s\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": 1, \"unit\": 5}",
                "{\"id\": \"r\", \"sensorId\": \"s\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": 1, \"metadata\": [1]}",
                "{\"id\": \"r\", \"sensorId\": \"s\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": 1, \"metadata\": {\"b\": \""
                        + "y".repeat(9000) + "\"}}",
                "{\"id\": \"r\", \"sensorId\": \"s\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": 1, \"extra\": {\"x\": 1}}",
                "{\"id\": 5, \"sensorId\": \"s\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": 1}",
                "{}"));
        return out;
    }

    @Test
    void fastPathAgreesWithTheSharedValidator() {
        int fastAccepted = 0;
        for (String expected : new String[] {"dev", null}) {
            for (String json : variants()) {
                byte[] body = ("[" + json + "]").getBytes(StandardCharsets.UTF_8);
                BatchParser.Batch batch = new BatchParser(10).parse(body);
                BatchParser.RawRecord raw = batch.records().get(0);
                RecordValidator.Result shared = RecordValidator.validate(0, raw.node(body), expected);
                TelemetryRecord fast = raw.fast() == null ? null : raw.fast().accept(expected);
                if (fast != null) {
                    fastAccepted++;
                    assertTrue(shared.ok(), json + " accepted by the fast path but not by RecordValidator: "
                            + shared.rejection());
                    assertEquals(shared.record(), fast, json);
                }
            }
        }
        assertTrue(fastAccepted >= 4, "the fast path handles plain records; took " + fastAccepted);
    }

    @Test
    void plainRecordTakesTheFastPath() {
        byte[] body = ("[" + PLAIN + "]").getBytes(StandardCharsets.UTF_8);
        BatchParser.RawRecord raw = new BatchParser(10).parse(body).records().get(0);
        assertNotNull(raw.fast());
        TelemetryRecord record = raw.fast().accept("dev");
        assertNotNull(record);
        assertEquals(RecordValidator.validate(0, raw.node(body), "dev").record(), record);
    }
}
