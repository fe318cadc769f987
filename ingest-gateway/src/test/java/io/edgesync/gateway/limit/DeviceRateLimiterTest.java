package io.edgesync.gateway.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DeviceRateLimiterTest {
    /** A clock the test moves. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void burstIsAvailableAtOnceThenTheRateApplies() {
        ManualClock clock = new ManualClock();
        DeviceRateLimiter limiter = new DeviceRateLimiter(10_000, 50_000, clock);
        for (int i = 0; i < 10; i++) {
            assertTrue(limiter.tryAcquire("d", 5_000).allowed(), "batch " + i);
        }
        DeviceRateLimiter.Decision refused = limiter.tryAcquire("d", 5_000);
        assertFalse(refused.allowed());
        assertEquals(Duration.ofMillis(500), refused.retryAfter());
        clock.now = clock.now.plusMillis(500);
        assertTrue(limiter.tryAcquire("d", 5_000).allowed());
    }

    @Test
    void devicesHaveTheirOwnBuckets() {
        DeviceRateLimiter limiter = new DeviceRateLimiter(1, 10, new ManualClock());
        assertTrue(limiter.tryAcquire("a", 10).allowed());
        assertFalse(limiter.tryAcquire("a", 1).allowed());
        assertTrue(limiter.tryAcquire("b", 10).allowed());
    }

    @Test
    void batchLargerThanTheBurstPassesWhenTheBucketIsFull() {
        ManualClock clock = new ManualClock();
        DeviceRateLimiter limiter = new DeviceRateLimiter(100, 1_000, clock);
        assertTrue(limiter.tryAcquire("d", 5_000).allowed());
        assertFalse(limiter.tryAcquire("d", 5_000).allowed());
        clock.now = clock.now.plusSeconds(10);
        assertTrue(limiter.tryAcquire("d", 5_000).allowed());
    }
}
