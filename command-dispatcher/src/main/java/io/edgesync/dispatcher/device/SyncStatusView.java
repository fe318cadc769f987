package io.edgesync.dispatcher.device;

/**
 * {@code GET /api/v1/sync/status/{deviceId}}: presence from heartbeats, sync figures from the sink's
 * {@code sync_status} row. {@code pendingRecordsCount} is the device's own latest report when it has
 * sent one, else the sink's count.
 */
public record SyncStatusView(String deviceId, String status, String lastSeenAt, String lastSyncAt,
                             String lastSyncStatus, long pendingRecordsCount, long totalSyncedRecords,
                             String lastError) {
}
