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

    /** The future bound the gateway would pass: its clock plus the allowed skew. */
    private static final long MAX_TS = 1_800_000_000_000L;

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
        // text the database cannot store, at every text field, and timestamps at and past each bound
        String rest = "\"sensorId\": \"s\", \"dataType\": \"t\", \"value\": 1";
        for (String bad : new String[] {"a\\u0000b", "\\ud800", "x\\udc00", "\\udbff\\udbff", "ok\\ud83d\\ude00"}) {
            out.add("{\"id\": \"" + bad + "\", \"timestamp\": 1, " + rest + "}");
            out.add("{\"id\": \"r\", \"deviceId\": \"" + bad + "\", \"timestamp\": 1, " + rest + "}");
            out.add("{\"id\": \"r\", \"sensorId\": \"" + bad + "\", \"timestamp\": 1, \"dataType\": \"t\", \"value\": 1}");
            out.add("{\"id\": \"r\", \"dataType\": \"" + bad + "\", \"timestamp\": 1, \"sensorId\": \"t\", \"value\": 1}");
            out.add("{\"id\": \"r\", \"unit\": \"" + bad + "\", \"timestamp\": 1, " + rest + "}");
            out.add("{\"id\": \"r\", \"metadata\": {\"k\": \"" + bad + "\"}, \"timestamp\": 1, " + rest + "}");
            if (!bad.contains("ud")) { // a lone surrogate in a field name is already a JSON syntax error
                out.add("{\"id\": \"r\", \"metadata\": {\"" + bad + "\": [\"v\"]}, \"timestamp\": 1, " + rest + "}");
            }
            out.add("{\"id\": \"r\", \"metadata\": {\"k\": [{\"n\": \"" + bad + "\"}]}, \"timestamp\": 1, " + rest + "}");
        }
        for (long ts : new long[] {MAX_TS, MAX_TS + 1, RecordValidator.MAX_TIMESTAMP, Long.MAX_VALUE}) {
            out.add("{\"id\": \"r\", \"timestamp\": " + ts + ", " + rest + "}");
        }
        out.add("{\"id\": \"r\", \"deviceId\": \"" + "d".repeat(129) + "\", \"timestamp\": 1, " + rest + "}");
        return out;
    }

    @Test
    void fastPathAgreesWithTheSharedValidator() {
        int fastAccepted = 0;
        for (String expected : new String[] {"dev", "d".repeat(128), null}) {
            for (String json : variants()) {
                byte[] body = ("[" + json + "]").getBytes(StandardCharsets.UTF_8);
                BatchParser.Batch batch = new BatchParser(10).parse(body);
                BatchParser.RawRecord raw = batch.records().get(0);
                RecordValidator.Result shared = RecordValidator.validate(0, raw.node(body), expected, MAX_TS);
                TelemetryRecord fast = raw.fast() == null ? null : raw.fast().accept(expected, MAX_TS);
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
        TelemetryRecord record = raw.fast().accept("dev", MAX_TS);
        assertNotNull(record);
        assertEquals(RecordValidator.validate(0, raw.node(body), "dev").record(), record);
    }
}
