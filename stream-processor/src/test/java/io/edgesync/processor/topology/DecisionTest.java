package io.edgesync.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgesync.processor.state.IdentityState;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.model.RecordOrdering;
import io.edgesync.shared.model.TelemetryRecord;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecisionTest {
    /** The processor and the sink must decide every pair the same way: the shared comparator is the reference. */
    @Test
    void decisionAgreesWithSharedLastWriteWinsOrdering() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            TelemetryRecord current = random(random);
            TelemetryRecord incoming = random.nextInt(10) == 0 ? current : random(random);
            long currentHash = RecordOrdering.payloadHash(current);
            IdentityState state = IdentityState.first(current, currentHash, Json.toBytes(current), 0);

            Decision d = Decision.decide(state, incoming.version(), incoming.timestamp(),
                    RecordOrdering.payloadHash(incoming));

            int expected = RecordOrdering.LAST_WRITE_WINS.compare(incoming, current);
            assertEquals(expected == 0, d.duplicate(), () -> incoming + " vs " + current);
            assertEquals(expected > 0, d.incomingWins(), () -> incoming + " vs " + current);
        }
    }

    private static TelemetryRecord random(Random random) {
        return new TelemetryRecord("r", "d", "s", 1_000 + random.nextInt(3), "t", random.nextInt(3), null, null,
                1 + random.nextInt(3), null, null);
    }
}
