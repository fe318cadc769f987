package io.edgesync.dispatcher.device;

import com.fasterxml.jackson.databind.JsonNode;

/** Body of {@code POST /api/v1/devices/register}; deviceId is generated when absent. */
public record NewDevice(String deviceId, String name, String deviceType, String location, JsonNode metadata) {
}
