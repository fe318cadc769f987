package io.edgesync.sink.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.DeviceSyncStats;
import io.edgesync.shared.model.TelemetryRecord;
import io.edgesync.sink.dlq.DeadLetters;
import io.edgesync.sink.store.SinkRow;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {
    private final RecordDecoder decoder = new RecordDecoder();

    private static ConsumerRecord<byte[], byte[]> rec(String topic, byte[] value) {
        return new ConsumerRecord<>(topic, 0, 7, "d".getBytes(StandardCharsets.UTF_8), value);
    }

    @Test
    void telemetryDecodesToARowWithItsOrigin() {
        TelemetryRecord t = new TelemetryRecord("1", "d", "s", 1, "temperature", 1, "C", null, 1, null, null);
        RecordDecoder.Decoded d = decoder.decode(rec(Topics.TELEMETRY_CLEAN.name(), Json.toBytes(t)));
        assertEquals(t, ((SinkRow.Telemetry) d.row()).record());
        assertEquals(7, d.row().origin().offset());
        assertNull(d.letter());
    }

    @Test
    void statsDecodeToAStatsRow() {
        DeviceSyncStats s = new DeviceSyncStats("d", 1, 2, 3, 4, 5, 6);
        assertEquals(s, ((SinkRow.Stats) decoder.decode(rec(Topics.DEVICE_SYNC_STATS.name(), Json.toBytes(s))).row())
                .stats());
    }

    @Test
    void notJsonIsAnUndecodableDeadLetter() {
        RecordDecoder.Decoded d = decoder.decode(rec(Topics.TELEMETRY_CLEAN.name(),
                "{nope".getBytes(StandardCharsets.UTF_8)));
        assertNull(d.row());
        assertEquals(DeadLetters.Reason.UNDECODABLE, d.letter().reason());
    }

    @Test
    void missingRequiredFieldIsAnInvalidRecordDeadLetter() {
        RecordDecoder.Decoded d = decoder.decode(rec(Topics.TELEMETRY_CLEAN.name(),
                "{\"id\":\"1\",\"sensorId\":\"s\",\"timestamp\":1,\"dataType\":\"t\",\"value\":1,\"version\":1}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertEquals(DeadLetters.Reason.INVALID_RECORD, d.letter().reason());
        assertEquals("missing deviceId", d.letter().detail());
    }

    @Test
    void tombstoneDecodesToNothing() {
        RecordDecoder.Decoded d = decoder.decode(rec(Topics.DEVICE_SYNC_STATS.name(), null));
        assertNull(d.row());
        assertNull(d.letter());
    }
}
