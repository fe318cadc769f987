package io.edgesync.testsupport;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/** Waits for a condition with a deadline, then fails with what was last seen. Never a bare sleep. */
public final class Await {
    private static final long POLL_NANOS = Duration.ofMillis(50).toNanos();

    private Await() {
    }

    /** Polls {@code value} until {@code done} holds; returns the value, or throws with the last one seen. */
    public static <T> T until(Duration timeout, Callable<T> value, Predicate<T> done, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T seen = null;
        Exception error = null;
        while (true) {
            try {
                seen = value.call();
                error = null;
                if (done.test(seen)) {
                    return seen;
                }
            } catch (Exception e) {
                error = e;
            }
            if (System.nanoTime() >= deadline) {
                AssertionError failure = new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for "
                        + what + "; last seen: " + seen);
                if (error != null) {
                    failure.initCause(error);
                }
                throw failure;
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
    }

    /** Waits until {@code value} equals {@code expected}. */
    public static <T> T equalTo(Duration timeout, Callable<T> value, T expected, String what) {
        return until(timeout, value, expected::equals, what + " = " + expected);
    }
}
