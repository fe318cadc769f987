package io.edgesync.processor;

import io.edgesync.shared.config.ConfigException;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.time.Duration;
import java.util.List;

/** Typed configuration of the stream processor. */
public record ProcessorConfig(String kafkaBootstrap, String applicationId, String stateDir, int streamThreads,
                              Duration retention, Duration commitInterval, Duration purgeInterval,
                              Duration statsInterval, Duration sessionTimeout, long cacheMaxBytes, String host,
                              int port) {

    public static final Setting<String> KAFKA = Setting.string("kafka.bootstrap-servers", "127.0.0.1:9092",
            "Kafka bootstrap servers.");
    public static final Setting<String> APPLICATION_ID = Setting.string("processor.application-id",
            "edgesync-stream-processor", "Kafka Streams application id (consumer group and state prefix).");
    public static final Setting<String> STATE_DIR = Setting.string("processor.state-dir",
            "edgesync-streams",
            "Directory for the persistent state stores (relative paths are from the working directory).");
    public static final Setting<Integer> THREADS = Setting.integer("processor.stream-threads", 1, 1, 64,
            "Kafka Streams threads.");
    public static final Setting<Duration> RETENTION = Setting.duration("processor.dedupe-retention", "7d",
            "How long a record identity is remembered for dedupe and last-write-wins, counted in stream time "
                    + "(Kafka record timestamps of telemetry.raw) from the last record of that identity.");
    public static final Setting<Duration> COMMIT_INTERVAL = Setting.duration("processor.commit-interval", "100ms",
            "Exactly-once commit interval: the latency to telemetry.clean for read_committed readers.");
    public static final Setting<Duration> PURGE_INTERVAL = Setting.duration("processor.purge-interval", "1h",
            "How often (in stream time) identities older than the retention are deleted from the state store.");
    public static final Setting<Duration> STATS_INTERVAL = Setting.duration("processor.stats-interval", "10s",
            "How often (wall clock) changed per-device totals are published to device.sync-stats.");
    public static final Setting<Duration> SESSION_TIMEOUT = Setting.duration("processor.session-timeout", "45s",
            "Consumer group session timeout: how long a processor that died without leaving keeps its "
                    + "partitions before they move to another instance (broker allows 6s to 300s by default).");
    public static final Setting<Long> CACHE_MAX_BYTES = Setting.longValue("processor.cache-max-bytes",
            10L * 1024 * 1024, 0, "Record cache in front of the state stores, in bytes, shared by all threads.");
    public static final Setting<String> HOST = Setting.string("processor.host", "127.0.0.1",
            "Address the health and metrics HTTP server binds to.");
    public static final Setting<Integer> PORT = Setting.integer("processor.port", 7073, -1, 65535,
            "HTTP port of /health/live, /health/ready and /metrics; 0 picks a free one, -1 turns the server off.");

    public static final List<Setting<?>> SETTINGS = List.of(KAFKA, APPLICATION_ID, STATE_DIR, THREADS, RETENTION,
            COMMIT_INTERVAL, PURGE_INTERVAL, STATS_INTERVAL, SESSION_TIMEOUT, CACHE_MAX_BYTES, HOST, PORT);

    public ProcessorConfig {
        positive(RETENTION, retention);
        positive(PURGE_INTERVAL, purgeInterval);
        positive(STATS_INTERVAL, statsInterval);
        positive(SESSION_TIMEOUT, sessionTimeout);
    }

    private static void positive(Setting<Duration> setting, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new ConfigException("invalid key " + setting.key() + ": " + value + "; accepted: a duration > 0");
        }
    }

    public static ProcessorConfig from(ConfigSource source) {
        return new ProcessorConfig(source.get(KAFKA), source.get(APPLICATION_ID), source.get(STATE_DIR),
                source.get(THREADS), source.get(RETENTION), source.get(COMMIT_INTERVAL), source.get(PURGE_INTERVAL),
                source.get(STATS_INTERVAL), source.get(SESSION_TIMEOUT), source.get(CACHE_MAX_BYTES),
                source.get(HOST), source.get(PORT));
    }
}
