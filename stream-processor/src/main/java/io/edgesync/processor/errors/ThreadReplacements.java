package io.edgesync.processor.errors;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream thread that dies is replaced, but not endlessly: after {@code max} replacements within
 * {@code window} the client shuts down, so {@code /health/live} turns false and the orchestrator
 * restarts the process instead of the processor spinning on the same failure.
 */
public final class ThreadReplacements implements StreamsUncaughtExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadReplacements.class);

    private final int max;
    private final Duration window;
    private final Clock clock;
    private final Deque<Long> recent = new ArrayDeque<>();

    public ThreadReplacements(int max, Duration window, Clock clock) {
        this.max = max;
        this.window = window;
        this.clock = clock;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        long now = clock.millis();
        while (!recent.isEmpty() && recent.peekFirst() <= now - window.toMillis()) {
            recent.removeFirst();
        }
        if (recent.size() >= max) {
            LOG.error("event=stream_thread_failed action=shutdown_client replacements={} window={}", recent.size(),
                    window, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        recent.addLast(now);
        LOG.error("event=stream_thread_failed action=replace_thread", exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
