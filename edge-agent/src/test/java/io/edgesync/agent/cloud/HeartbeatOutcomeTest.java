package io.edgesync.agent.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgesync.agent.store.SyncLogEntry;
import org.junit.jupiter.api.Test;

/** The last upload cycle, as the heartbeat reports it to the dispatcher's sync status. */
class HeartbeatOutcomeTest {
    @Test
    void aFailedCycleIsFailedARefusalIsRejectedOtherwiseOk() {
        assertEquals("failed", CloudLink.outcome(new SyncLogEntry("up", 1, 2, 100, 0, 0, "failed", "http 503")));
        assertEquals("rejected", CloudLink.outcome(new SyncLogEntry("up", 1, 2, 100, 98, 2, "ok", null)));
        assertEquals("ok", CloudLink.outcome(new SyncLogEntry("up", 1, 2, 100, 100, 0, "ok", null)));
    }
}
