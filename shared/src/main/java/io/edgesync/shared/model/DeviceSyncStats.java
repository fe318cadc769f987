package io.edgesync.shared.model;

/**
 * The value of compacted topic {@code device.sync-stats} (key: deviceId): running totals the
 * stream processor keeps per device, published periodically. Each value replaces the previous one
 * (totals, not deltas), so the sink may apply them in any number and still store the latest.
 * Stored by the sink in {@code sync_status}.
 *
 * @param lastRecordAt   largest record timestamp seen from the device (device clock), epoch ms
 * @param lastReceivedAt largest gateway receivedAt seen from the device, epoch ms
 * @param updatedAt      processor clock when these totals were published, epoch ms
 */
public record DeviceSyncStats(
        String deviceId,
        long recordsAccepted,
        long duplicatesDropped,
        long conflicts,
        long lastRecordAt,
        long lastReceivedAt,
        long updatedAt) {
}
