package io.edgesync.sink.ops;

import io.edgesync.sink.consume.SinkCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/** The sink's meters, read from {@link SinkCounters}; constant names, no tags. */
public final class SinkMetrics {
    public static final String RECORDS_COMMITTED = "edgesync.sink.records.committed";
    public static final String ROWS_WRITTEN = "edgesync.sink.rows.written";
    public static final String BATCHES_COMMITTED = "edgesync.sink.batches.committed";
    public static final String FAILED_ATTEMPTS = "edgesync.sink.failed.attempts";
    public static final String PAUSES = "edgesync.sink.pauses";
    public static final String DEAD_LETTERS = "edgesync.sink.dead.letters";
    public static final String PAUSED = "edgesync.sink.paused";
    /** Per reason ({@code undecodable}, {@code invalid_record}, {@code db_rejected}): {@code edgesync_sink_dead_letter_reasons_total}. */
    public static final String DEAD_LETTER_REASONS = "edgesync.sink.dead.letter.reasons";

    private SinkMetrics() {
    }

    public static void bind(SinkCounters counters, MeterRegistry registry) {
        counter(registry, RECORDS_COMMITTED, counters, SinkCounters::recordsCommitted,
                "Consumed records whose offsets were committed after their batch's database commit");
        counter(registry, ROWS_WRITTEN, counters, SinkCounters::rowsWritten,
                "telemetry_data rows sent in upserts after reduction by key");
        counter(registry, BATCHES_COMMITTED, counters, SinkCounters::batchesCommitted, "Batches committed");
        counter(registry, FAILED_ATTEMPTS, counters, SinkCounters::failedAttempts,
                "Batch attempts that failed (database unavailable, retries exhausted, DLQ unavailable)");
        counter(registry, PAUSES, counters, SinkCounters::pauses,
                "Times consumption was paused because the database was unavailable or failing");
        counter(registry, DEAD_LETTERS, counters, SinkCounters::deadLetters, "Records sent to telemetry.dlq");
        for (io.edgesync.sink.dlq.DeadLetters.Reason reason : io.edgesync.sink.dlq.DeadLetters.Reason.values()) {
            FunctionCounter.builder(DEAD_LETTER_REASONS, counters, c -> c.deadLetters(reason)).tag("reason", reason.code())
                    .description("Records sent to telemetry.dlq by reason").register(registry);
        }
        Gauge.builder(PAUSED, counters, c -> c.paused() ? 1 : 0)
                .description("1 while consumption is paused because of the database, else 0").register(registry);
    }

    private static void counter(MeterRegistry registry, String name, SinkCounters counters,
                                ToDoubleFunction<SinkCounters> value, String description) {
        FunctionCounter.builder(name, counters, value).description(description).register(registry);
    }
}
