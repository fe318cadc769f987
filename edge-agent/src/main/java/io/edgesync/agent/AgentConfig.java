package io.edgesync.agent;

import io.edgesync.agent.sync.TelemetrySync;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Typed configuration of one edge agent. */
public record AgentConfig(String deviceId, Path databaseFile, String gatewayUrl, String dispatcherUrl, String token,
                          int batchSize, Duration syncInterval, Duration requestTimeout,
                          TelemetrySync.RetryPolicy retry) {

    public static final Setting<String> DEVICE_ID = Setting.string("agent.device-id", null, "This device's id.");
    public static final Setting<String> DATABASE = Setting.string("agent.database", "edge-agent.db",
            "Path of the agent's SQLite database.");
    public static final Setting<String> GATEWAY = Setting.string("agent.gateway-url", "http://127.0.0.1:7070",
            "Base URL of the ingest gateway.");
    public static final Setting<String> DISPATCHER = Setting.string("agent.dispatcher-url", "http://127.0.0.1:7071",
            "Base URL of the command dispatcher.");
    public static final Setting<String> TOKEN = Setting.secret("agent.token", null,
            "Device token (JWT) issued by the dispatcher.");
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("agent.batch-size", 1000, 1, 5000,
            "Records per upload.");
    public static final Setting<Duration> SYNC_INTERVAL = Setting.duration("agent.sync-interval", "5s",
            "Pause between sync cycles.");
    public static final Setting<Duration> REQUEST_TIMEOUT = Setting.duration("agent.request-timeout", "30s",
            "Timeout of one HTTP request.");
    public static final Setting<Integer> RETRY_ATTEMPTS = Setting.integer("agent.retry.max-attempts", 5, 1, 1000,
            "Upload attempts per batch in one cycle.");
    public static final Setting<Duration> RETRY_INITIAL = Setting.duration("agent.retry.initial-interval", "1s",
            "First backoff interval.");
    public static final Setting<Duration> RETRY_MAX = Setting.duration("agent.retry.max-interval", "60s",
            "Backoff cap.");

    public static final List<Setting<?>> SETTINGS = List.of(DEVICE_ID, DATABASE, GATEWAY, DISPATCHER, TOKEN,
            BATCH_SIZE, SYNC_INTERVAL, REQUEST_TIMEOUT, RETRY_ATTEMPTS, RETRY_INITIAL, RETRY_MAX);

    public static AgentConfig from(ConfigSource source) {
        String deviceId = source.get(DEVICE_ID);
        if (deviceId == null || deviceId.isBlank()) {
            throw new io.edgesync.shared.config.ConfigException("agent.device-id is required");
        }
        return new AgentConfig(deviceId, Path.of(source.get(DATABASE)), source.get(GATEWAY), source.get(DISPATCHER),
                source.get(TOKEN), source.get(BATCH_SIZE), source.get(SYNC_INTERVAL), source.get(REQUEST_TIMEOUT),
                new TelemetrySync.RetryPolicy(source.get(RETRY_ATTEMPTS), source.get(RETRY_INITIAL), 2.0,
                        source.get(RETRY_MAX)));
    }
}
