package io.edgesync.dispatcher.command;

import com.fasterxml.jackson.databind.JsonNode;

/** A command as the API shows it. Times are ISO-8601 UTC; {@code seq} orders a device's commands. */
public record CommandView(String commandId, String deviceId, String commandType, JsonNode payload, String status,
                          JsonNode result, long seq, String createdAt, String expiresAt, String deliveredAt,
                          int deliveryCount, String completedAt) {

    public CommandStatus state() {
        return CommandStatus.parse(status);
    }
}
