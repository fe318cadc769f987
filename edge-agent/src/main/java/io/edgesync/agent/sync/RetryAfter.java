package io.edgesync.agent.sync;

import java.time.Duration;
import java.util.Optional;

/** Parses a {@code Retry-After} header given in seconds. */
public final class RetryAfter {
    private RetryAfter() {
    }

    public static Optional<Duration> parse(String value) {
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
