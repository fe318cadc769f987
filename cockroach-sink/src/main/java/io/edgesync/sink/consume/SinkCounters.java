package io.edgesync.sink.consume;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** What the sink has done since it started; read by tests, benchmarks and metrics. */
public final class SinkCounters {
    final AtomicLong recordsCommitted = new AtomicLong();
    final AtomicLong rowsWritten = new AtomicLong();
    final AtomicLong batchesCommitted = new AtomicLong();
    final AtomicLong deadLetters = new AtomicLong();
    private final java.util.Map<io.edgesync.sink.dlq.DeadLetters.Reason, AtomicLong> byReason =
            new java.util.EnumMap<>(io.edgesync.sink.dlq.DeadLetters.Reason.class);

    {
        for (io.edgesync.sink.dlq.DeadLetters.Reason r : io.edgesync.sink.dlq.DeadLetters.Reason.values()) {
            byReason.put(r, new AtomicLong());
        }
    }

    void deadLettered(io.edgesync.sink.dlq.DeadLetters.Reason reason) {
        deadLetters.incrementAndGet();
        byReason.get(reason).incrementAndGet();
    }

    /** Records of one reason sent to telemetry.dlq. */
    public long deadLetters(io.edgesync.sink.dlq.DeadLetters.Reason reason) {
        return byReason.get(reason).get();
    }
    final AtomicLong pauses = new AtomicLong();
    final AtomicLong failedAttempts = new AtomicLong();
    final AtomicLong assignments = new AtomicLong();
    final AtomicBoolean paused = new AtomicBoolean();

    /** Consumed records whose offsets were committed after their batch's database commit. */
    public long recordsCommitted() {
        return recordsCommitted.get();
    }

    /**
     * telemetry_data rows sent in upserts after reduction by key. Whether the guard let each one
     * change the row is not reported: pgjdbc's rewritten batches answer SUCCESS_NO_INFO.
     */
    public long rowsWritten() {
        return rowsWritten.get();
    }

    public long batchesCommitted() {
        return batchesCommitted.get();
    }

    /** Records sent to telemetry.dlq. */
    public long deadLetters() {
        return deadLetters.get();
    }

    /** Times consumption was paused because the database was unavailable or failing. */
    public long pauses() {
        return pauses.get();
    }

    /** Batch attempts that failed (database unavailable, retries exhausted, DLQ unavailable). */
    public long failedAttempts() {
        return failedAttempts.get();
    }

    /** Partition assignments received (a new one during an outage means the group was left). */
    public long assignments() {
        return assignments.get();
    }

    public boolean paused() {
        return paused.get();
    }
}
