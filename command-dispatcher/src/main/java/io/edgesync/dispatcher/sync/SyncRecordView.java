package io.edgesync.dispatcher.sync;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One sync plan and its outcome. {@code status}: pending, success, failed, superseded (the node
 * fetched a newer plan first) or expired (pending past {@code expiresAt}).
 */
public record SyncRecordView(String syncId, String nodeId, String syncType, String status, long fromSchemaVersion,
                             long toSchemaVersion, int schemasApplied, int functionsAdded, int functionsRemoved,
                             String errorMessage, Boolean retryable, JsonNode actions, JsonNode reportedState,
                             String createdAt, String expiresAt, String completedAt) {
}
