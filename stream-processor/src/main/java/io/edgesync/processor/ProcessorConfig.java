package io.edgesync.processor;

import io.edgesync.shared.config.ConfigException;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import io.edgesync.shared.kafka.KafkaClients;
import java.time.Duration;
import java.util.List;

/** Typed configuration of the stream processor. */
public record ProcessorConfig(String kafkaBootstrap, String applicationId, String stateDir, int streamThreads,
                              Duration retention, Duration commitInterval, Duration purgeInterval,
                              Duration statsInterval, Duration sessionTimeout, long cacheMaxBytes, String host,
                              int port, int purgeBatch, Duration maxClockSkew, KafkaClients kafka) {

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
            "How long a record identity is remembered for dedupe and last-write-wins, counted from the last record "
                    + "of that identity on the retention clock: stream time (Kafka record timestamps of telemetry.raw), "
                    + "at most processor.max-clock-skew ahead of the processor's wall clock.");
    public static final Setting<Duration> COMMIT_INTERVAL = Setting.duration("processor.commit-interval", "100ms",
            "Exactly-once commit interval: the latency to telemetry.clean for read_committed readers.");
    public static final Setting<Duration> PURGE_INTERVAL = Setting.duration("processor.purge-interval", "10s",
            "How often (wall clock) one purge step runs: it examines the next processor.purge-batch identities "
                    + "of the state store and deletes those past the retention; a pass over N identities takes "
                    + "N / purge-batch steps.");
    public static final Setting<Integer> PURGE_BATCH = Setting.integer("processor.purge-batch", 10_000, 1, 1_000_000,
            "Most identities one purge step examines, so the deletes of one step stay well inside one "
                    + "exactly-once transaction whatever the size of the store.");
    public static final Setting<Duration> MAX_CLOCK_SKEW = Setting.duration("processor.max-clock-skew", "10m",
            "How far ahead of the processor's wall clock a record timestamp may move the retention clock; a "
                    + "record from a producer with a wrong clock moves it no further.");
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
            COMMIT_INTERVAL, PURGE_INTERVAL, PURGE_BATCH, MAX_CLOCK_SKEW, STATS_INTERVAL, SESSION_TIMEOUT,
            CACHE_MAX_BYTES, HOST, PORT, KafkaClients.REPLICATION_FACTOR, KafkaClients.MIN_INSYNC_REPLICAS,
            KafkaClients.PROPERTIES);

    public ProcessorConfig {
        positive(RETENTION, retention);
        positive(PURGE_INTERVAL, purgeInterval);
        positive(STATS_INTERVAL, statsInterval);
        positive(SESSION_TIMEOUT, sessionTimeout);
        if (maxClockSkew == null || maxClockSkew.isNegative()) {
            throw new ConfigException("invalid key " + MAX_CLOCK_SKEW.key() + ": " + maxClockSkew
                    + "; accepted: a duration >= 0");
        }
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
                source.get(HOST), source.get(PORT), source.get(PURGE_BATCH), source.get(MAX_CLOCK_SKEW),
                KafkaClients.from(source, source.get(KAFKA)));
    }
}
