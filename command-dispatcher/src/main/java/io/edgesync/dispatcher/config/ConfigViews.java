package io.edgesync.dispatcher.config;

import java.util.List;

/** Answers of the config endpoints. */
public final class ConfigViews {
    private ConfigViews() {
    }

    /** {@code GET /api/v1/sync/config/{deviceId}?since=V}: the keys changed after V; apply, then report version. */
    public record Changes(String deviceId, long since, long version, List<ConfigEntry> changes) {
    }

    /** {@code GET /api/v1/devices/{id}/config}: desired next to what the device reported applying. */
    public record DesiredAndReported(String deviceId, long desiredVersion, Long reportedVersion, boolean inSync,
                                     List<Entry> entries) {
    }

    /** A desired key; {@code applied}: the device reported a config version that includes it. */
    public record Entry(String key, Object value, long version, String updatedAt, boolean applied) {
    }
}
