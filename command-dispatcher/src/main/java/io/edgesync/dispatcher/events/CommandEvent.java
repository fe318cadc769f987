package io.edgesync.dispatcher.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Value of topic {@code command.events} (key: deviceId): one per state change of a command, schema
 * docs/contracts/schemas/command.events.v1.json. {@code previousStatus} is omitted when the command is
 * created; {@code at} is epoch milliseconds, as every time in a topic's envelope; {@code groupId} is
 * present for a command fanned out from a group command.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommandEvent(String commandId, String deviceId, String commandType, String status,
                           String previousStatus, int deliveryCount, long at, String groupId) {
}
