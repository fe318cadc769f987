package io.edgesync.sink.retry;

import java.time.Duration;
import java.util.Objects;

/** Exponential backoff: {@code initial * 2^(attempt-1)}, capped at {@code max}. */
public record Backoff(Duration initial, Duration max) {
    public Backoff {
        Objects.requireNonNull(initial);
        Objects.requireNonNull(max);
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max");
        }
    }

    /** @param attempt 1 for the wait after the first failure */
    public Duration delay(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long millis = initial.toMillis() << shift;
        return millis >= max.toMillis() || millis <= 0 ? max : Duration.ofMillis(millis);
    }
}
