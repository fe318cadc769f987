package io.edgesync.processor.topology;

import static io.edgesync.processor.topology.TopologyFixture.reading;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.model.ConflictRecord;
import io.edgesync.shared.model.RecordOrdering;
import io.edgesync.shared.model.TelemetryRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LastWriteWinsTopologyTest {
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
    void duplicateRecordIsWrittenOnce() {
        TelemetryRecord r = reading("dev-1", "r-1", 1, 1_000, 21.5);

        t.send(r);
        t.send(r);
        t.send(r.withReceipt(9_999, "a-later-batch"));

        List<TelemetryRecord> clean = t.clean.readValuesToList();
        assertEquals(List.of(r), clean);
        assertTrue(t.conflicts.isEmpty());
    }

    @Test
    void cleanRecordIsKeyedByDeviceAndKeepsGatewayReceipt() {
        TelemetryRecord r = reading("dev-1", "r-1", 1, 1_000, 21.5);

        t.send(r);

        var out = t.clean.readRecord();
        assertEquals("dev-1", out.key());
        assertEquals(r.receivedAt(), out.value().receivedAt());
        assertEquals(r.batchId(), out.value().batchId());
    }

    @Test
    void higherVersionReplacesWinnerWithoutConflict() {
        TelemetryRecord v1 = reading("dev-1", "r-1", 1, 1_000, 21.5);
        TelemetryRecord v2 = reading("dev-1", "r-1", 2, 1_000, 22.0);

        t.send(v1);
        t.send(v2);

        assertEquals(List.of(v1, v2), t.clean.readValuesToList());
        assertTrue(t.conflicts.isEmpty());
    }

    @Test
    void olderVersionArrivingLateLosesAndIsLogged() {
        TelemetryRecord v1 = reading("dev-1", "r-1", 1, 5_000, 21.5);
        TelemetryRecord v2 = reading("dev-1", "r-1", 2, 1_000, 22.0);

        t.send(v2);
        t.send(v1);

        assertEquals(List.of(v2), t.clean.readValuesToList());
        var out = t.conflicts.readRecord();
        assertEquals("dev-1", out.key());
        ConflictRecord c = out.value();
        assertEquals("r-1", c.recordId());
        assertEquals("dev-1", c.deviceId());
        assertEquals(ConflictRecord.STALE_VERSION, c.conflictType());
        assertEquals(v1, c.incoming());
        assertEquals(v2, c.current());
        assertEquals(v2, c.resolved());
        assertEquals(ConflictRecord.LAST_WRITE_WINS, c.strategy());
        assertEquals("version", c.decidedBy());
        assertEquals(TopologyFixture.START.toEpochMilli(), c.detectedAt());
        assertTrue(t.conflicts.isEmpty());
    }

    @Test
    void sameVersionDifferentPayloadLaterTimestampWins() {
        TelemetryRecord earlier = reading("dev-1", "r-1", 3, 1_000, 21.5);
        TelemetryRecord later = reading("dev-1", "r-1", 3, 2_000, 99.0);

        t.send(earlier);
        t.send(later);

        assertEquals(List.of(earlier, later), t.clean.readValuesToList());
        ConflictRecord c = t.conflicts.readValue();
        assertEquals(ConflictRecord.CONCURRENT_UPDATE, c.conflictType());
        assertEquals("timestamp", c.decidedBy());
        assertEquals(later, c.incoming());
        assertEquals(earlier, c.current());
        assertEquals(later, c.resolved());
    }

    @Test
    void sameVersionDifferentPayloadEarlierTimestampLoses() {
        TelemetryRecord earlier = reading("dev-1", "r-1", 3, 1_000, 21.5);
        TelemetryRecord later = reading("dev-1", "r-1", 3, 2_000, 99.0);

        t.send(later);
        t.send(earlier);

        assertEquals(List.of(later), t.clean.readValuesToList());
        ConflictRecord c = t.conflicts.readValue();
        assertEquals(ConflictRecord.CONCURRENT_UPDATE, c.conflictType());
        assertEquals("timestamp", c.decidedBy());
        assertEquals(earlier, c.incoming());
        assertEquals(later, c.resolved());
    }

    @Test
    void equalTimestampsAreDecidedByLargerPayloadHashInEitherOrder() {
        TelemetryRecord a = reading("dev-1", "r-1", 1, 1_000, 10.0);
        TelemetryRecord b = reading("dev-1", "r-1", 1, 1_000, 20.0);
        TelemetryRecord expected = RecordOrdering.LAST_WRITE_WINS.compare(a, b) > 0 ? a : b;
        TelemetryRecord other = expected == a ? b : a;

        t.send(expected);
        t.send(other);
        assertEquals(List.of(expected), t.clean.readValuesToList());
        ConflictRecord first = t.conflicts.readValue();

        try (TopologyFixture reversed = new TopologyFixture()) {
            reversed.send(other);
            reversed.send(expected);
            assertEquals(List.of(other, expected), reversed.clean.readValuesToList());
            ConflictRecord second = reversed.conflicts.readValue();
            assertEquals(expected, first.resolved());
            assertEquals(expected, second.resolved());
            assertEquals("payloadHash", first.decidedBy());
            assertEquals("payloadHash", second.decidedBy());
        }
    }

    @Test
    void replayOfWholeInputProducesNothingNew() {
        List<TelemetryRecord> input = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String dev = "dev-" + (i % 4);
            input.add(reading(dev, "r-" + i, 1, 1_000 + i, i));
            input.add(reading(dev, "r-" + i, 1, 1_000 + i, i));
            if (i % 5 == 0) {
                input.add(reading(dev, "r-" + i, 2, 1_000 + i, i + 0.5));
                input.add(reading(dev, "r-" + i, 1, 1_000 + i, i + 0.7));
                input.add(reading(dev, "r-" + i, 2, 2_000 + i, i + 0.9));
            }
        }
        t.sendAll(input);
        int clean = t.clean.readValuesToList().size();
        int conflicts = t.conflicts.readValuesToList().size();
        assertEquals(50 + 10 * 2, clean);
        assertEquals(10 * 2, conflicts);

        t.sendAll(input);

        assertTrue(t.clean.isEmpty(), "replay wrote to telemetry.clean");
        assertTrue(t.conflicts.isEmpty(), "replay wrote to telemetry.conflicts");
        assertTrue(t.dlq.isEmpty());
    }
}
