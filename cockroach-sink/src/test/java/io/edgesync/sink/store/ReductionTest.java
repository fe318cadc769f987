package io.edgesync.sink.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.edgesync.shared.model.ConflictRecord;
import io.edgesync.shared.model.DeviceSyncStats;
import io.edgesync.shared.model.RecordOrdering;
import io.edgesync.shared.model.TelemetryRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReductionTest {
    private static TelemetryRecord r(String device, String id, int version, long ts, double value) {
        return new TelemetryRecord(id, device, "s", ts, "temperature", value, "C", null, version, null, null);
    }

    @Test
    void higherVersionWinsWhateverTheArrivalOrder() {
        List<TelemetryRecord> out = TelemetryWriter.reduce(List.of(r("d", "1", 3, 10, 3), r("d", "1", 1, 99, 1),
                r("d", "1", 2, 50, 2)));
        assertEquals(List.of(r("d", "1", 3, 10, 3)), out);
    }

    @Test
    void sameVersionLaterTimestampWinsThenLargerPayloadHash() {
        assertEquals(20L, TelemetryWriter.reduce(List.of(r("d", "1", 1, 20, 1), r("d", "1", 1, 10, 2))).get(0)
                .timestamp());
        TelemetryRecord a = r("d", "1", 1, 10, 1);
        TelemetryRecord b = r("d", "1", 1, 10, 2);
        TelemetryRecord expected = RecordOrdering.payloadHash(a) > RecordOrdering.payloadHash(b) ? a : b;
        assertEquals(expected, TelemetryWriter.reduce(List.of(a, b)).get(0));
        assertEquals(expected, TelemetryWriter.reduce(List.of(b, a)).get(0));
    }

    @Test
    void oneRowPerKeyInKeyOrder() {
        List<TelemetryRecord> out = TelemetryWriter.reduce(List.of(r("b", "1", 1, 1, 1), r("a", "2", 1, 1, 1),
                r("a", "1", 1, 1, 1), r("b", "1", 1, 1, 1)));
        assertEquals(List.of("a/1", "a/2", "b/1"), out.stream().map(t -> t.deviceId() + "/" + t.id()).toList());
    }

    @Test
    void latestTotalsPerDeviceWin() {
        DeviceSyncStats older = new DeviceSyncStats("d", 1, 0, 0, 0, 0, 100);
        DeviceSyncStats newer = new DeviceSyncStats("d", 5, 0, 0, 0, 0, 200);
        assertEquals(List.of(newer), SyncStatusWriter.reduce(List.of(newer, older)));
        assertEquals(List.of(newer), SyncStatusWriter.reduce(List.of(older, newer)));
    }

    @Test
    void conflictIdIsTheSameForTheSameDecisionAndDiffersOtherwise() {
        TelemetryRecord w = r("d", "1", 2, 1, 2);
        TelemetryRecord l = r("d", "1", 1, 1, 1);
        ConflictRecord c = new ConflictRecord("1", "d", ConflictRecord.STALE_VERSION, l, w, w,
                ConflictRecord.LAST_WRITE_WINS, "version", 1000);
        ConflictRecord same = new ConflictRecord("1", "d", ConflictRecord.STALE_VERSION, l, w, w,
                ConflictRecord.LAST_WRITE_WINS, "version", 1000);
        ConflictRecord later = new ConflictRecord("1", "d", ConflictRecord.STALE_VERSION, l, w, w,
                ConflictRecord.LAST_WRITE_WINS, "version", 2000);
        assertEquals(ConflictWriter.conflictId(c), ConflictWriter.conflictId(same));
        assertNotEquals(ConflictWriter.conflictId(c), ConflictWriter.conflictId(later));
    }
}
