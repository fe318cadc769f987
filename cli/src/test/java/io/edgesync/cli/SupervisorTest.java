package io.edgesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.config.ConfigSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What makes {@code edgesync serve} exit 1, and what does not (ServeExitIT runs it for real). */
class SupervisorTest {
    private static final ConfigSource FAST = ConfigSource.of(Map.of("serve.check-interval", "10ms",
            "serve.max-unready", "200ms"));

    @Test
    void aServiceThatIsNotLiveEndsServeAtOnce() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        Supervisor s = new Supervisor(new Supervisor.Health("x", () -> checks.incrementAndGet() < 3, () -> true), FAST);
        try (Lifecycle lifecycle = Lifecycle.install()) {
            assertEquals(1, s.await(lifecycle));
        }
        assertEquals(3, checks.get());
    }

    @Test
    void notReadyForLongerThanMaxUnreadyEndsServe() throws Exception {
        long start = System.nanoTime();
        Supervisor s = new Supervisor(new Supervisor.Health("x", () -> true, () -> false), FAST);
        try (Lifecycle lifecycle = Lifecycle.install()) {
            assertEquals(1, s.await(lifecycle));
        }
        assertTrue(System.nanoTime() - start >= 200_000_000L, "not before serve.max-unready");
    }

    @Test
    void readinessThatComesBackStartsTheCountAgainAndAStopEndsWithZero() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        AtomicBoolean stopAsked = new AtomicBoolean();
        // unready every other check (10 ms apart), never serve.max-unready (2 s) in a row
        Supervisor s = new Supervisor(new Supervisor.Health("x", () -> true, () -> checks.incrementAndGet() % 2 == 0),
                ConfigSource.of(Map.of("serve.check-interval", "10ms", "serve.max-unready", "2s")));
        try (Lifecycle lifecycle = Lifecycle.install()) {
            Thread stopper = new Thread(() -> {
                while (checks.get() < 40) {
                    Thread.onSpinWait();
                }
                stopAsked.set(true);
                lifecycle.requestStop();
            });
            stopper.start();
            assertEquals(0, s.await(lifecycle));
            assertTrue(stopAsked.get());
        }
    }

    @Test
    void maxUnreadyZeroNeverEndsServeForReadiness() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        Supervisor s = new Supervisor(new Supervisor.Health("x", () -> checks.incrementAndGet() < 50, () -> false),
                ConfigSource.of(Map.of("serve.check-interval", "10ms", "serve.max-unready", "0s")));
        try (Lifecycle lifecycle = Lifecycle.install()) {
            assertEquals(1, s.await(lifecycle)); // ended by liveness, after 50 unready checks
        }
        assertEquals(50, checks.get());
    }
}
