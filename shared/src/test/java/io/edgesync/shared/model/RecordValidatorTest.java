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

    private static final String REST = "'sensorId':'s','dataType':'t','value':1";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{'id':'a\\u0000b','timestamp':1,REST}",
        "{'id':'\\ud800','timestamp':1,REST}",
        "{'id':'r','sensorId':'x\\udc00','timestamp':1,'dataType':'t','value':1}",
        "{'id':'r','dataType':'\\u0000','timestamp':1,'sensorId':'s','value':1}",
        "{'id':'r','unit':'C\\u0000','timestamp':1,REST}",
        "{'id':'r','metadata':{'k':'\\u0000'},'timestamp':1,REST}",
        "{'id':'r','metadata':{'k\\u0000':1},'timestamp':1,REST}",
        "{'id':'r','metadata':{'a':[{'b':'\\udfff'}]},'timestamp':1,REST}",
        "{'id':'r','deviceId':'d1\\u0000','timestamp':1,REST}",
    })
    void textTheDatabaseCannotStoreIsAnInvalidField(String record) throws Exception {
        RecordValidator.Result r = RecordValidator.validate(0, json(record.replace("REST", REST)), "d1");
        // (a lone surrogate in a field name is already a JSON syntax error for the parser: malformed_body)
        assertFalse(r.ok(), record);
        assertEquals(RecordValidator.INVALID_FIELD, r.rejection().code(), record);
    }

    @Test
    void aPairedSurrogateIsStorable() throws Exception {
        RecordValidator.Result r = RecordValidator.validate(0, json(
                "{'id':'\\ud83d\\ude00','metadata':{'e':'\\ud83d\\ude00'},'timestamp':1," + REST + "}"), "d1");
        assertTrue(r.ok(), String.valueOf(r.rejection()));
        assertEquals("\ud83d\ude00", r.record().id());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "0|true", "-1|false", "1000|true", "1001|false",
        "'1970-01-01T00:00:00Z'|true", "'1969-12-31T23:59:59.999Z'|false",
        "'1970-01-01T00:00:01Z'|true", "'1970-01-01T00:00:01.001Z'|false",
        "'1970-01-01T01:00:01+01:00'|true", "'+999999999-12-31T23:59:59Z'|false",
        "'-999999999-01-01T00:00:00Z'|false", "9223372036854775807|false", "-9223372036854775808|false",
        "99999999999999999999|false",
    })
    void timestampsOutsideTheRangeAreRejectedInEitherForm(String ts, boolean ok) throws Exception {
        RecordValidator.Result r = RecordValidator.validate(0, json("{'id':'r','timestamp':" + ts + "," + REST + "}"),
                "d1", 1000);
        assertEquals(ok, r.ok(), ts + " -> " + r.rejection());
        if (!ok) {
            assertEquals(RecordValidator.INVALID_FIELD, r.rejection().code());
        }
    }

    @Test
    void theAbsoluteLatestTimestampHoldsWhateverTheCallerAllows() throws Exception {
        assertTrue(RecordValidator.validate(0, json("{'id':'r','timestamp':'9999-12-31T23:59:59.999Z'," + REST + "}"),
                "d1", Long.MAX_VALUE).ok());
        assertFalse(RecordValidator.validate(0, json("{'id':'r','timestamp':'+10000-01-01T00:00:00Z'," + REST + "}"),
                "d1", Long.MAX_VALUE).ok());
        assertFalse(RecordValidator.validate(0, json("{'id':'r','timestamp':" + (RecordValidator.MAX_TIMESTAMP + 1)
                + "," + REST + "}"), "d1", Long.MAX_VALUE).ok());
    }
}
