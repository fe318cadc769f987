package io.edgesync.processor.topology;

import io.edgesync.shared.model.ConflictRecord;
import io.edgesync.shared.model.DeviceSyncStats;

/** What the dedupe processor emits; the topology routes each kind to its topic. */
sealed interface Outcome {
    /** A winner, already serialised as it is written to {@code telemetry.clean}. */
    record Clean(byte[] json) implements Outcome {
    }

    record Conflict(ConflictRecord conflict) implements Outcome {
    }

    record Stats(DeviceSyncStats stats) implements Outcome {
    }

    /** A record that cannot be processed, exactly as received; the reason is in the headers. */
    record DeadLetter(byte[] key, byte[] value) implements Outcome {
    }
}
