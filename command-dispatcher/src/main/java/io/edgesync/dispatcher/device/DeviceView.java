package io.edgesync.dispatcher.device;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A device as the management API shows it. {@code status}: registered (never seen), online, offline
 * (no heartbeat for the configured number of intervals). Times are ISO-8601 UTC.
 */
public record DeviceView(String deviceId, String name, String deviceType, String location, JsonNode metadata,
                         String status, String tokenStatus, long tokenVersion, String tokenExpiresAt,
                         String agentVersion, long configVersion, Long reportedConfigVersion, Long clockSkewMs,
                         Long pendingRecords, String createdAt, String lastSeenAt, String region) {
}
