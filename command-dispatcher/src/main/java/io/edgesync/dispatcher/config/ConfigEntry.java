package io.edgesync.dispatcher.config;

import com.fasterxml.jackson.databind.JsonNode;

/** One desired configuration key of a device and the config version at which it last changed. */
public record ConfigEntry(String key, JsonNode value, long version, String updatedAt) {
}
