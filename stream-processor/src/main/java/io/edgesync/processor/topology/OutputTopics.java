package io.edgesync.processor.topology;

import io.edgesync.shared.kafka.Topics;
import java.util.Objects;

/**
 * Where the telemetry topology writes each kind of outcome: the live topics, or a replay's shadow
 * topics ({@code stats} null: per-device totals are not written).
 */
public record OutputTopics(String clean, String conflicts, String dlq, String stats) {
    public static final OutputTopics LIVE = new OutputTopics(Topics.TELEMETRY_CLEAN.name(),
            Topics.TELEMETRY_CONFLICTS.name(), Topics.TELEMETRY_DLQ.name(), Topics.DEVICE_SYNC_STATS.name());

    public OutputTopics {
        Objects.requireNonNull(clean);
        Objects.requireNonNull(conflicts);
        Objects.requireNonNull(dlq);
    }

    /** The topic of {@code outcome}, or null when this wiring drops its kind. */
    String of(Outcome outcome) {
        if (outcome instanceof Outcome.Clean) {
            return clean;
        }
        if (outcome instanceof Outcome.Conflict) {
            return conflicts;
        }
        if (outcome instanceof Outcome.DeadLetter) {
            return dlq;
        }
        return stats;
    }
}
