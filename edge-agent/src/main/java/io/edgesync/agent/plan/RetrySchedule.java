package io.edgesync.agent.plan;

import io.edgesync.agent.sync.Backoff;
import io.edgesync.agent.sync.UploadException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Up to {@code agent.retry.max-attempts} attempts of one step of a node sync cycle, pausing between
 * them as uploads do ({@link Backoff}: 1, 2, 4, 8 s … capped at {@code agent.retry.max-interval},
 * jittered, raised to a server's Retry-After). Only a retryable {@link UploadException} is retried;
 * the sleeper is injected so tests see the schedule without waiting it out.
 */
public final class RetrySchedule {
    /** Pauses the calling thread. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** One attempt. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws UploadException;
    }

    private final Backoff backoff;
    private final Sleeper sleeper;
    private final List<Long> waits = new ArrayList<>();

    public RetrySchedule(Backoff backoff, Sleeper sleeper) {
        this.backoff = Objects.requireNonNull(backoff);
        this.sleeper = Objects.requireNonNull(sleeper);
    }

    /** Runs {@code attempt} until it succeeds, fails permanently or the attempts run out (the last failure is thrown). */
    public <T> T call(Attempt<T> attempt) throws UploadException, InterruptedException {
        for (int n = 1; ; n++) {
            try {
                return attempt.run();
            } catch (UploadException e) {
                if (!e.retryable() || n >= backoff.policy().maxAttempts()) {
                    throw e;
                }
                pause(n, e.retryAfter());
            }
        }
    }

    public int maxAttempts() {
        return backoff.policy().maxAttempts();
    }

    /** The pause after failed attempt {@code n} (1 = the first). */
    public void pause(int n, java.time.Duration retryAfter) throws InterruptedException {
        long wait = backoff.waitMillis(n, retryAfter);
        synchronized (waits) {
            waits.add(wait);
        }
        sleeper.sleep(wait);
    }

    /** The pauses taken so far, in order. */
    public List<Long> waits() {
        synchronized (waits) {
            return List.copyOf(waits);
        }
    }
}
