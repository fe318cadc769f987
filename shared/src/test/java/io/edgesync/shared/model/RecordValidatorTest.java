package io.edgesync.shared.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecordValidatorTest {

    private static JsonNode json(String s) throws Exception {
        return Json.mapper().readTree(s.replace('\'', '"'));
    }

    @Test
    void validRecordWithIsoTimestampIsAccepted() throws Exception {
        RecordValidator.Result r = RecordValidator.validate(0, json(
                "{'id':'r1','deviceId':'d1','sensorId':'s','timestamp':'2026-01-01T00:00:00Z','dataType':'t','value':1.5}"),
                "d1");
        assertTrue(r.ok());
        assertEquals(1767225600000L, r.record().timestamp());
        assertEquals(1, r.record().version());
    }

    @Test
    void recordWithoutDeviceIdTakesTheAuthenticatedDevice() throws Exception {
        RecordValidator.Result r = RecordValidator.validate(0, json(
                "{'id':'r1','sensorId':'s','timestamp':1,'dataType':'t','value':1}"), "d1");
        assertEquals("d1", r.record().deviceId());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'sensorId':'s','timestamp':1,'dataType':'t','value':1}|missing_field",
        "{'id':'r','timestamp':1,'dataType':'t','value':1}|missing_field",
        "{'id':'r','sensorId':'s','dataType':'t','value':1}|missing_field",
        "{'id':'r','sensorId':'s','timestamp':1,'value':1}|missing_field",
        "{'id':'r','sensorId':'s','timestamp':1,'dataType':'t'}|missing_field",
        "{'id':'r','sensorId':'s','timestamp':'yesterday','dataType':'t','value':1}|invalid_field",
        "{'id':'r','sensorId':'s','timestamp':1,'dataType':'t','value':'NaN'}|invalid_field",
        "{'id':'r','sensorId':'s','timestamp':1,'dataType':'t','value':1,'version':0}|invalid_field",
        "{'id':'r','sensorId':'s','timestamp':1,'dataType':'t','value':1,'metadata':[1]}|invalid_field",
        "{'id':'r','deviceId':'other','sensorId':'s','timestamp':1,'dataType':'t','value':1}|device_mismatch",
    })
    void invalidRecordIsRejectedWithItsCode(String record, String code) throws Exception {
        RecordValidator.Result r = RecordValidator.validate(3, json(record), "d1");
        assertFalse(r.ok());
        assertEquals(code, r.rejection().code());
        assertEquals(3, r.rejection().index());
    }

    @Test
    void metadataOver8KiBIsRejected() throws Exception {
        String big = "x".repeat(9000);
        RecordValidator.Result r = RecordValidator.validate(0, json(
                "{'id':'r','sensorId':'s','timestamp':1,'dataType':'t','value':1,'metadata':{'k':'" + big + "'}}"), "d1");
        assertEquals(RecordValidator.METADATA_TOO_LARGE, r.rejection().code());
    }
}
