package io.edgesync.dispatcher.events;

/**
 * Value of topic {@code command.events} (key: deviceId): one per state change of a command.
 * {@code previousStatus} is null when the command is created; {@code at} is ISO-8601 UTC.
 */
public record CommandEvent(String commandId, String deviceId, String commandType, String status,
                           String previousStatus, int deliveryCount, String at) {
}
