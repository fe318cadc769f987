package io.edgesync.dispatcher.command;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A command as the API shows it. Times are ISO-8601 UTC; {@code seq} orders a device's commands;
 * {@code groupId} (omitted for a command to one device) the group command it was fanned out from.
 */
public record CommandView(String commandId, String deviceId, String commandType, JsonNode payload, String status,
                          JsonNode result, long seq, String createdAt, String expiresAt, String deliveredAt,
                          int deliveryCount, String completedAt,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String groupId) {

    public CommandStatus state() {
        return CommandStatus.parse(status);
    }
}
