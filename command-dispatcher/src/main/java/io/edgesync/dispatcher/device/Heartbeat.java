package io.edgesync.dispatcher.device;

/** Body of {@code POST /api/v1/devices/{id}/heartbeat}; every field optional except none. */
public record Heartbeat(Long pendingRecords, String agentVersion, Long configVersion, Long deviceTime) {
}
