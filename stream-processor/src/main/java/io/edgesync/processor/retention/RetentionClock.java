package io.edgesync.processor.retention;

import java.time.Duration;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * The clock the processor decides retention on: stream time (the largest record timestamp seen),
 * but never more than {@code maxSkew} ahead of this processor's wall clock. One record whose
 * timestamp is days in the future (a producer with a wrong clock) moves Kafka's stream time that
 * far and would expire every identity at once; on this clock it moves retention by at most
 * {@code maxSkew}, and the identity it touches is remembered at the bound, not in the future.
 * A replay of old records (stream time behind the wall clock) is decided on stream time as before.
 */
public final class RetentionClock {
    private final long maxSkewMs;

    public RetentionClock(Duration maxSkew) {
        this.maxSkewMs = maxSkew.toMillis();
    }

    /** Now, for a decision about a record with {@code recordTimestamp}. */
    public long now(ProcessorContext<?, ?> context, long recordTimestamp) {
        return bounded(Math.max(context.currentStreamTimeMs(), recordTimestamp), context.currentSystemTimeMs());
    }

    /** Now, for a purge step (no record at hand). */
    public long now(ProcessorContext<?, ?> context) {
        return bounded(context.currentStreamTimeMs(), context.currentSystemTimeMs());
    }

    /** The time a record touches its identity at: its timestamp, at most the bound. */
    public long touchedAt(ProcessorContext<?, ?> context, long recordTimestamp) {
        return bounded(recordTimestamp, context.currentSystemTimeMs());
    }

    long bounded(long streamTime, long wallClock) {
        long bound = wallClock > Long.MAX_VALUE - maxSkewMs ? Long.MAX_VALUE : wallClock + maxSkewMs;
        return Math.min(streamTime, bound);
    }
}
