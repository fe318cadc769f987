package io.edgesync.agent.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgesync.agent.sync.Backoff;
import io.edgesync.agent.sync.UploadException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The sync plan retry schedule, seen through an injected sleeper (no real waiting). */
class RetryScheduleTest {
    final List<Long> slept = new ArrayList<>();
    final RetrySchedule schedule = new RetrySchedule(new Backoff(Backoff.Policy.defaults(), () -> 0.5), slept::add);

    @Test
    void aDispatcherThatStaysDownIsTriedFiveTimesWithOneTwoFourEightSecondsBetween() {
        AtomicInteger attempts = new AtomicInteger();
        UploadException last = assertThrows(UploadException.class, () -> schedule.call(() -> {
            attempts.incrementAndGet();
            throw new UploadException("dispatcher unreachable", 0, true, null, null);
        }));
        assertEquals(5, attempts.get());
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L), slept);
        assertEquals(slept, schedule.waits());
        assertEquals("dispatcher unreachable", last.getMessage());
    }

    @Test
    void theWaitIsCappedAtSixtySecondsEvenWhenTheServerAsksForMore() throws Exception {
        RetrySchedule many = new RetrySchedule(new Backoff(new Backoff.Policy(9, Duration.ofSeconds(1), 2.0,
                Duration.ofSeconds(60), 0.5), () -> 0.5), slept::add);
        assertThrows(UploadException.class, () -> many.call(() -> {
            throw new UploadException("busy", 503, true, Duration.ofMinutes(10), null);
        }));
        assertEquals(8, slept.size());
        slept.forEach(w -> assertEquals(60_000L, w));
        slept.clear();
        AtomicInteger n = new AtomicInteger();
        assertThrows(UploadException.class, () -> many.call(() -> {
            n.incrementAndGet();
            throw new UploadException("down", 0, true, null, null);
        }));
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16000L, 32000L, 60000L, 60000L), slept);
    }

    @Test
    void aPermanentErrorIsNotRetriedAndASuccessStopsTheRetries() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        UploadException e = assertThrows(UploadException.class, () -> schedule.call(() -> {
            attempts.incrementAndGet();
            throw new UploadException("invalid_request", 400, false, null, null);
        }));
        assertEquals(400, e.status());
        assertEquals(1, attempts.get());
        assertEquals(List.of(), slept);

        AtomicInteger tries = new AtomicInteger();
        assertEquals("plan", schedule.call(() -> {
            if (tries.incrementAndGet() < 3) {
                throw new UploadException("blip", 0, true, null, null);
            }
            return "plan";
        }));
        assertEquals(List.of(1000L, 2000L), slept);
    }
}
