package io.edgesync.gateway.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RequestGateTest {
    @Test
    void closingRefusesNewRequestsAndWaitsForAdmittedOnes() throws Exception {
        RequestGate gate = new RequestGate();
        assertTrue(gate.tryEnter());
        assertFalse(gate.closeAndDrain(Duration.ofMillis(50)), "one request still in flight");
        assertFalse(gate.tryEnter(), "closed gate admits nothing");
        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
            try {
                return gate.closeAndDrain(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        gate.leave();
        assertTrue(drained.get());
    }
}
