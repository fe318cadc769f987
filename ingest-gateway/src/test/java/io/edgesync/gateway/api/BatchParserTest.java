package io.edgesync.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BatchParserTest {
    private final BatchParser parser = new BatchParser(3);

    private BatchParser.Batch parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private ErrorCode failure(String json) {
        return assertThrows(ApiException.class, () -> parse(json)).code();
    }

    @Test
    void envelopeFieldsMayComeInAnyOrder() {
        BatchParser.Batch batch = parse("{\"records\": [{\"id\": \"a\"}], \"extra\": {\"x\": [1]}, \"batchId\": \"b1\","
                + " \"deviceId\": \"d1\"}");
        assertEquals("d1", batch.deviceId());
        assertEquals("b1", batch.batchId());
        assertEquals("a", batch.records().get(0).node(batch.json()).path("id").asText());
    }

    @Test
    void recordOffsetsSpanEachRecordsBytes() {
        String json = "{\"records\": [ {\"id\": \"a\", \"m\": {\"k\": \"}\"}} ,{\"id\":\"é\"}]}";
        BatchParser.Batch batch = parse(json);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        BatchParser.RawRecord first = batch.records().get(0);
        BatchParser.RawRecord second = batch.records().get(1);
        assertEquals("{\"id\": \"a\", \"m\": {\"k\": \"}\"}}",
                new String(bytes, first.start(), first.end() - first.start(), StandardCharsets.UTF_8));
        assertEquals("{\"id\":\"é\"}", new String(bytes, second.start(), second.end() - second.start(),
                StandardCharsets.UTF_8));
    }

    @Test
    void bareArrayHasNoEnvelopeFields() {
        BatchParser.Batch batch = parse("[{\"id\": \"a\"}, 5]");
        assertNull(batch.deviceId());
        assertEquals(2, batch.records().size());
    }

    @Test
    void brokenOrWronglyShapedBodiesAreMalformed() {
        for (String bad : new String[] {"", "{", "[{\"id\": 1}", "{\"records\": 1}", "{\"deviceId\": \"d\"}", "\"x\"",
            "[] []", "{\"deviceId\": 5, \"records\": []}", "[{\"id\": \"a\", \"id\": \"b\"}]",
            "{\"deviceId\": \"a\", \"deviceId\": \"b\", \"records\": []}"}) {
            assertEquals(ErrorCode.MALFORMED_BODY, failure(bad), bad);
        }
    }

    @Test
    void moreRecordsThanTheLimitIsTooLarge() {
        assertEquals(3, parse("[1, 2, 3]").records().size());
        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, failure("[1, 2, 3, 4]"));
    }
}
