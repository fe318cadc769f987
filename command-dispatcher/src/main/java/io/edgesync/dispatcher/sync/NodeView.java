package io.edgesync.dispatcher.sync;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A node: a device as the node API shows it. {@code status}: syncing (a plan it fetched is neither
 * acknowledged nor expired), else online or offline (as the device's presence; never seen is offline).
 */
public record NodeView(String nodeId, String name, String deviceType, String region, String status,
                       long schemaVersion, JsonNode functions, String lastSeenAt) {
}
