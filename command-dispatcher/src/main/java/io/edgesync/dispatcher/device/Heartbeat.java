package io.edgesync.dispatcher.device;

/**
 * Body of {@code POST /api/v1/devices/{id}/heartbeat}; every field optional.
 *
 * @param lastSyncStatus the outcome of the device's last upload cycle: {@code ok}, {@code failed}
 *                       (it could not upload; {@code lastError} says why) or {@code rejected} (records
 *                       were refused)
 */
public record Heartbeat(Long pendingRecords, String agentVersion, Long configVersion, Long deviceTime,
                        String lastSyncStatus, String lastError) {
    public static final java.util.Set<String> SYNC_STATUSES = java.util.Set.of("ok", "failed", "rejected");

    public Heartbeat(Long pendingRecords, String agentVersion, Long configVersion, Long deviceTime) {
        this(pendingRecords, agentVersion, configVersion, deviceTime, null, null);
    }
}
