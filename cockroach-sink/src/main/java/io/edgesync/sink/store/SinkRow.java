package io.edgesync.sink.store;

import io.edgesync.shared.model.ConflictRecord;
import io.edgesync.shared.model.DeviceSyncStats;
import io.edgesync.shared.model.TelemetryRecord;
import java.util.Objects;

/** One decoded record of a consumed topic, bound for one table. */
public sealed interface SinkRow permits SinkRow.Telemetry, SinkRow.Conflict, SinkRow.Stats {
    Origin origin();

    /** {@code telemetry.clean} → {@code telemetry_data}. */
    record Telemetry(TelemetryRecord record, Origin origin) implements SinkRow {
        public Telemetry {
            Objects.requireNonNull(record);
        }
    }

    /** {@code telemetry.conflicts} → {@code conflict_log}. */
    record Conflict(ConflictRecord conflict, Origin origin) implements SinkRow {
        public Conflict {
            Objects.requireNonNull(conflict);
        }
    }

    /** {@code device.sync-stats} → {@code sync_status} and {@code devices.last_seen_at}. */
    record Stats(DeviceSyncStats stats, Origin origin) implements SinkRow {
        public Stats {
            Objects.requireNonNull(stats);
        }
    }
}
