package io.edgesync.processor.topology;

import static io.edgesync.processor.topology.TopologyFixture.bytes;
import static io.edgesync.processor.topology.TopologyFixture.reading;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.processor.state.IdentityState;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.RecordOrdering;
import io.edgesync.shared.model.RecordValidator;
import io.edgesync.shared.model.TelemetryRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeadLetterTopologyTest {
    private TopologyFixture t;

    @BeforeEach
    void start() {
        t = new TopologyFixture();
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void poisonRecordsGoToDlqWithReasonAndProcessingContinues() {
        TelemetryRecord good = reading("dev-1", "r-1", 1, 1_000, 21.5);
        byte[] notJson = {0x00, (byte) 0xff, 0x13, 0x37};
        String missingField = "{\"id\":\"r-2\",\"deviceId\":\"dev-1\",\"timestamp\":1,\"dataType\":\"t\",\"value\":1}";
        String badVersion = "{\"id\":\"r-3\",\"deviceId\":\"dev-1\",\"sensorId\":\"s\",\"timestamp\":1,"
                + "\"dataType\":\"t\",\"value\":1,\"version\":0}";
        String badReceipt = "{\"id\":\"r-4\",\"deviceId\":\"dev-1\",\"sensorId\":\"s\",\"timestamp\":1,"
                + "\"dataType\":\"t\",\"value\":1,\"receivedAt\":\"yesterday\"}";

        t.raw.pipeInput(bytes("dev-1"), notJson);
        t.raw.pipeInput(bytes("dev-1"), bytes(missingField));
        t.raw.pipeInput(bytes("dev-1"), bytes(badVersion));
        t.raw.pipeInput(bytes("dev-2"), Json.toBytes(good));
        t.raw.pipeInput(null, Json.toBytes(good));
        t.raw.pipeInput(bytes("dev-1"), (byte[]) null);
        t.raw.pipeInput(bytes("dev-1"), bytes(badReceipt));
        t.send(good);

        List<TestRecord<byte[], byte[]>> dead = t.dlq.readRecordsToList();
        assertEquals(List.of(RawRecords.NOT_JSON, RecordValidator.MISSING_FIELD, RecordValidator.INVALID_FIELD,
                RecordValidator.DEVICE_MISMATCH, RawRecords.MISSING_KEY, RawRecords.MISSING_VALUE,
                RawRecords.INVALID_RECEIPT), dead.stream().map(r -> header(r.headers(), DeadLetters.REASON)).toList());
        assertArrayEquals(notJson, dead.get(0).value(), "the DLQ keeps the record exactly as received");
        assertArrayEquals(bytes("dev-1"), dead.get(0).key());
        for (int i = 0; i < dead.size(); i++) {
            Headers h = dead.get(i).headers();
            assertEquals(Topics.TELEMETRY_RAW.name(), header(h, DeadLetters.SOURCE_TOPIC));
            assertEquals("stream-processor", header(h, DeadLetters.SERVICE));
            assertEquals("0", header(h, DeadLetters.PARTITION));
            assertEquals(Integer.toString(i), header(h, DeadLetters.OFFSET));
            assertTrue(!header(h, DeadLetters.DETAIL).isBlank());
        }
        assertEquals(List.of(good), t.clean.readValuesToList(), "the valid record after the poison was processed");
    }

    @Test
    void dlqRecordKeepsTheOriginalHeaders() {
        RecordHeaders original = new RecordHeaders();
        original.add(Topics.HEADER_CONTENT_TYPE, bytes(Topics.CONTENT_TYPE_JSON));

        t.raw.pipeInput(new TestRecord<>(bytes("dev-1"), bytes("{not json"), original));

        Headers h = t.dlq.readRecord().headers();
        assertEquals(Topics.CONTENT_TYPE_JSON, header(h, Topics.HEADER_CONTENT_TYPE));
        assertEquals(RawRecords.NOT_JSON, header(h, DeadLetters.REASON));
    }

    @Test
    void unexpectedErrorInProcessingGoesToDlqAndProcessingContinues() {
        TelemetryRecord v2 = reading("dev-1", "r-1", 2, 1_000, 2.0);
        TelemetryRecord v1 = reading("dev-1", "r-1", 1, 1_000, 1.0);
        // GIVEN a stored winner whose JSON cannot be read back (a bug, or a damaged store)
        t.identities().put(v2.identity(), new IdentityState(2, 1_000, RecordOrdering.payloadHash(v2), TopologyFixture.START.toEpochMilli(),
                new long[0], bytes("{damaged")));

        // WHEN a stale version needs that winner for its conflict record, then a good record follows
        t.send(v1);
        TelemetryRecord next = reading("dev-1", "r-2", 1, 2_000, 3.0);
        t.send(next);

        // THEN Kafka Streams' handler dead-letters the record with its error headers, and goes on
        TestRecord<byte[], byte[]> dead = t.dlq.readRecord();
        assertArrayEquals(Json.toBytes(v1), dead.value());
        assertTrue(dead.headers().lastHeader("__streams.errors.exception") != null, "error headers");
        assertEquals(List.of(next), t.clean.readValuesToList());
        assertEquals(0, t.identities().get(v2.identity()).seenHashes().length, "the failed record changed the state");
    }

    private static String header(Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void recordTooLargeToCopyIsDeadLetteredWithoutItsValueAndTheNextOneFlows() {
        // GIVEN a raw record (valid, with a huge unknown field) and one with huge headers, both over the bound
        TelemetryRecord good = reading("dev-1", "r-9", 1, 1_000, 1);
        String big = "{\"id\":\"r-8\",\"deviceId\":\"dev-1\",\"sensorId\":\"s\",\"timestamp\":1,"
                + "\"dataType\":\"t\",\"value\":1,\"pad\":\"" + "x".repeat(DeadLetters.MAX_INPUT_BYTES) + "\"}";
        RecordHeaders heavy = new RecordHeaders();
        heavy.add("h", new byte[DeadLetters.MAX_INPUT_BYTES]);
        t.raw.pipeInput(bytes("dev-1"), bytes(big));
        t.raw.pipeInput(new TestRecord<>(bytes("dev-1"), Json.toBytes(good), heavy));
        // AND one exactly at the bound, which is processed as usual
        String atBound = "{\"id\":\"r-7\",\"deviceId\":\"dev-1\",\"sensorId\":\"s\",\"timestamp\":1,"
                + "\"dataType\":\"t\",\"value\":1,\"pad\":\"\"}";
        int pad = DeadLetters.MAX_INPUT_BYTES - atBound.length() - "dev-1".length();
        t.raw.pipeInput(bytes("dev-1"), bytes(atBound.replace("\"pad\":\"\"", "\"pad\":\"" + "y".repeat(pad) + "\"")));
        t.send(good);

        // THEN both oversized ones are in the DLQ as reason + source offset, no value, no copied headers
        List<TestRecord<byte[], byte[]>> dead = t.dlq.readRecordsToList();
        assertEquals(2, dead.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(RawRecords.TOO_LARGE, header(dead.get(i).headers(), DeadLetters.REASON));
            assertEquals(Integer.toString(i), header(dead.get(i).headers(), DeadLetters.OFFSET));
            assertEquals(null, dead.get(i).value());
            assertEquals(null, dead.get(i).headers().lastHeader("h"));
        }
        // AND the record at the bound and the one after went through
        assertEquals(List.of("r-7", "r-9"), t.clean.readValuesToList().stream().map(TelemetryRecord::id).toList());
    }
}
