package io.edgesync.agent.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: attempt n waits about {@code initial × multiplier^(n-1)},
 * spread uniformly ±{@code jitter} of itself, never more than {@code max}. A server's
 * {@code Retry-After} raises the wait to what it asked for, but never past the cap (a server, or
 * something pretending to be one, cannot park the agent for longer than its own maximum). The
 * randomness is injected so tests can fix it.
 */
public final class Backoff {
    /** Backoff settings: exponential with jitter, capped. */
    public record Policy(int maxAttempts, Duration initialInterval, double multiplier, Duration maxInterval,
                         double jitter) {
        public Policy {
            if (maxAttempts < 1 || multiplier < 1.0 || jitter < 0 || jitter >= 1) {
                throw new IllegalArgumentException("invalid backoff policy");
            }
            Objects.requireNonNull(initialInterval);
            Objects.requireNonNull(maxInterval);
        }

        public static Policy defaults() {
            return new Policy(5, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 0.5);
        }
    }

    private final Policy policy;
    private final DoubleSupplier random;

    /** @param random uniform in [0, 1) */
    public Backoff(Policy policy, DoubleSupplier random) {
        this.policy = Objects.requireNonNull(policy);
        this.random = Objects.requireNonNull(random);
    }

    public Policy policy() {
        return policy;
    }

    /** Wait before retry number {@code attempt} (1 = the wait after the first failure). */
    public long waitMillis(int attempt, Duration retryAfter) {
        double base = policy.initialInterval().toMillis() * Math.pow(policy.multiplier(), Math.max(0, attempt - 1));
        base = Math.min(base, policy.maxInterval().toMillis());
        double spread = base * policy.jitter() * (2 * random.getAsDouble() - 1);
        long wait = Math.min(Math.round(base + spread), policy.maxInterval().toMillis());
        if (retryAfter != null) {
            wait = Math.max(wait, Math.min(retryAfter.toMillis(), policy.maxInterval().toMillis()));
        }
        return Math.max(0, wait);
    }
}
