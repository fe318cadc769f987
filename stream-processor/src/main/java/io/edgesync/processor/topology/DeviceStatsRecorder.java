package io.edgesync.processor.topology;

import io.edgesync.processor.state.DeviceTotals;
import io.edgesync.shared.model.DeviceSyncStats;
import io.edgesync.shared.model.TelemetryRecord;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per-device totals in a state store (so they survive restarts with exactly-once), and the set of
 * devices whose totals changed since they were last published. After a (re)start every device is
 * published once, since what changed before the restart is not known.
 */
final class DeviceStatsRecorder {
    private final KeyValueStore<String, DeviceTotals> store;
    private final Set<String> changed = new LinkedHashSet<>();
    private boolean publishAll = true;

    DeviceStatsRecorder(KeyValueStore<String, DeviceTotals> store) {
        this.store = store;
    }

    void record(TelemetryRecord r, long accepted, long duplicates, long conflicts) {
        DeviceTotals current = store.get(r.deviceId());
        DeviceTotals next = (current == null ? DeviceTotals.EMPTY : current)
                .plus(accepted, duplicates, conflicts, r.timestamp(), r.receivedAt());
        store.put(r.deviceId(), next);
        changed.add(r.deviceId());
    }

    /** Hands the totals of every changed device (every device after a restart) to {@code publish}. */
    void publish(long now, Consumer<DeviceSyncStats> publish) {
        if (publishAll) {
            try (KeyValueIterator<String, DeviceTotals> all = store.all()) {
                while (all.hasNext()) {
                    KeyValue<String, DeviceTotals> e = all.next();
                    publish.accept(e.value.toStats(e.key, now));
                }
            }
            publishAll = false;
        } else {
            for (String deviceId : changed) {
                DeviceTotals totals = store.get(deviceId);
                if (totals != null) {
                    publish.accept(totals.toStats(deviceId, now));
                }
            }
        }
        changed.clear();
    }
}
