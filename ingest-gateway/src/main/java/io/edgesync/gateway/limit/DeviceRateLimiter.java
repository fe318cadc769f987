package io.edgesync.gateway.limit;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per device, in records: it refills at {@code ratePerSecond} up to {@code burst}.
 * The default (10,000/s, burst 50,000) lets a device flush an offline backlog at full speed for a
 * while. A batch larger than the burst is admitted once the bucket is full, so no batch the size
 * limit allows is refused forever.
 */
public final class DeviceRateLimiter {
    private static final int MAX_TRACKED_DEVICES = 200_000;

    private final double ratePerMilli;
    private final double burst;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** Whether a batch may go, and if not, when to try again. */
    public record Decision(boolean allowed, Duration retryAfter) {
    }

    public DeviceRateLimiter(int ratePerSecond, int burst, Clock clock) {
        this.ratePerMilli = ratePerSecond / 1000.0;
        this.burst = burst;
        this.clock = Objects.requireNonNull(clock);
    }

    public Decision tryAcquire(String deviceId, int records) {
        if (buckets.size() > MAX_TRACKED_DEVICES) {
            long now = clock.millis();
            buckets.values().removeIf(b -> b.isFull(now));
        }
        Bucket bucket = buckets.computeIfAbsent(deviceId, d -> new Bucket(burst, clock.millis()));
        return bucket.take(Math.min(records, burst), clock.millis());
    }

    private final class Bucket {
        private double tokens;
        private long updatedAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedAt = now;
        }

        synchronized Decision take(double wanted, long now) {
            refill(now);
            if (tokens >= wanted) {
                tokens -= wanted;
                return new Decision(true, Duration.ZERO);
            }
            long waitMillis = (long) Math.ceil((wanted - tokens) / ratePerMilli);
            return new Decision(false, Duration.ofMillis(Math.max(1, waitMillis)));
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            if (now > updatedAt) {
                tokens = Math.min(burst, tokens + (now - updatedAt) * ratePerMilli);
                updatedAt = now;
            }
        }
    }
}
