package io.edgesync.processor.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.json.Json;
import io.edgesync.shared.model.TelemetryRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class IdentityStateSerdeTest {
    private final IdentityStateSerde serde = new IdentityStateSerde();

    @Test
    void roundTripKeepsEveryField() {
        TelemetryRecord r = new TelemetryRecord("r", "d", "s", 42, "t", 1.5, null, null, 3, 7L, "b");
        IdentityState state = IdentityState.first(r, -5, Json.toBytes(r), 100).withLoser(11, 90).withLoser(12, 120);

        IdentityState back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", state));

        assertEquals(3, back.version());
        assertEquals(42, back.timestamp());
        assertEquals(-5, back.payloadHash());
        assertEquals(120, back.touchedAt());
        assertArrayEquals(new long[] {11, 12}, back.seenHashes());
        assertEquals(r, back.winner());
    }

    @Test
    void seenHashesAreBoundedOldestForgottenFirst() {
        TelemetryRecord r = new TelemetryRecord("r", "d", "s", 42, "t", 1.5, null, null, 1, null, null);
        IdentityState state = IdentityState.first(r, 0, Json.toBytes(r), 0);
        for (long h = 1; h <= IdentityState.MAX_SEEN + 3; h++) {
            state = state.withLoser(h, 0);
        }
        assertEquals(IdentityState.MAX_SEEN, state.seenHashes().length);
        assertFalse(state.hasSeen(3));
        assertTrue(state.hasSeen(4));
        assertTrue(state.hasSeen(IdentityState.MAX_SEEN + 3));
        assertTrue(state.hasSeen(0), "the winner itself");
    }

    @Test
    void unknownFormatIsRefused() {
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", new byte[] {9, 1}));
    }
}
