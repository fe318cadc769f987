package io.edgesync.dispatcher.sync;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What {@code GET /api/v1/nodes/{id}/sync} answers. An empty plan has no {@code syncId} and needs no
 * acknowledgement; {@code blocked} names the failed plan whose same actions are not handed out again
 * (a permanent error) until the node's target changes.
 */
public record SyncPlan(String syncId, String syncType, JsonNode actions, String expiresAt, Blocked blocked) {
    /** The plan that failed permanently with the same actions. */
    public record Blocked(String syncId, String error) {
    }
}
