package io.edgesync.processor.topology;

import io.edgesync.shared.model.ConflictRecord;
import io.edgesync.shared.model.RecordValidator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The processor's decisions as counters, every tag value from a fixed list (all registered at zero):
 * {@code edgesync_processor_records_total{outcome}} (clean: forwarded to telemetry.clean; duplicate:
 * dropped; superseded: an older version, dropped; dead_lettered), {@code
 * edgesync_processor_conflicts_total{type}} and {@code edgesync_processor_dead_letters_total{reason}}.
 * Counted when processed: a transaction that is aborted and retried counts its records again.
 */
public final class RecordOutcomes {
    public static final String RECORDS = "edgesync.processor.records";
    public static final String CONFLICTS = "edgesync.processor.conflicts";
    public static final String DEAD_LETTERS = "edgesync.processor.dead.letters";
    public static final List<String> REASONS = List.of(RawRecords.NOT_JSON, RawRecords.MISSING_KEY,
            RawRecords.MISSING_VALUE, RecordValidator.MISSING_FIELD, RecordValidator.INVALID_FIELD,
            RecordValidator.DEVICE_MISMATCH, RecordValidator.METADATA_TOO_LARGE, RawRecords.INVALID_RECEIPT,
            RawRecords.TOO_LARGE, RawRecords.PRODUCTION_ERROR);
    private static final String OTHER = "other";

    private final Counter clean;
    private final Counter duplicate;
    private final Counter superseded;
    private final Counter deadLettered;
    private final Map<String, Counter> conflicts = new HashMap<>();
    private final Map<String, Counter> deadLetters = new HashMap<>();

    public RecordOutcomes(MeterRegistry registry) {
        this.clean = outcome(registry, "clean");
        this.duplicate = outcome(registry, "duplicate");
        this.superseded = outcome(registry, "superseded");
        this.deadLettered = outcome(registry, "dead_lettered");
        for (String type : List.of(ConflictRecord.STALE_VERSION, ConflictRecord.CONCURRENT_UPDATE)) {
            conflicts.put(type, Counter.builder(CONFLICTS).tag("type", type)
                    .description("Conflict records written to telemetry.conflicts").register(registry));
        }
        for (String reason : concat(REASONS, OTHER)) {
            deadLetters.put(reason, Counter.builder(DEAD_LETTERS).tag("reason", reason)
                    .description("telemetry.raw records the processor sent to telemetry.dlq").register(registry));
        }
    }

    private static List<String> concat(List<String> list, String last) {
        List<String> out = new java.util.ArrayList<>(list);
        out.add(last);
        return out;
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder(RECORDS).tag("outcome", outcome)
                .description("telemetry.raw records by what the processor decided").register(registry);
    }

    void clean() {
        clean.increment();
    }

    void duplicate() {
        duplicate.increment();
    }

    void superseded() {
        superseded.increment();
    }

    void conflict(String type) {
        Counter c = conflicts.get(type);
        if (c != null) {
            c.increment();
        }
    }

    public void deadLettered(String reason) {
        deadLettered.increment();
        deadLetters.getOrDefault(reason, deadLetters.get(OTHER)).increment();
    }
}
