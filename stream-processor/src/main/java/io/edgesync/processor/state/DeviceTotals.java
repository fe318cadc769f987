package io.edgesync.processor.state;

import io.edgesync.shared.model.DeviceSyncStats;

/** Running per-device totals kept in the stats store; published as {@link DeviceSyncStats}. */
public record DeviceTotals(long recordsAccepted, long duplicatesDropped, long conflicts, long lastRecordAt,
                           long lastReceivedAt) {
    public static final DeviceTotals EMPTY = new DeviceTotals(0, 0, 0, 0, 0);

    public DeviceTotals plus(long accepted, long duplicates, long conflictCount, long recordAt, Long receivedAt) {
        return new DeviceTotals(recordsAccepted + accepted, duplicatesDropped + duplicates, conflicts + conflictCount,
                Math.max(lastRecordAt, recordAt), receivedAt == null ? lastReceivedAt
                        : Math.max(lastReceivedAt, receivedAt));
    }

    public DeviceSyncStats toStats(String deviceId, long updatedAt) {
        return new DeviceSyncStats(deviceId, recordsAccepted, duplicatesDropped, conflicts, lastRecordAt,
                lastReceivedAt, updatedAt);
    }
}
