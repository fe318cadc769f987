package io.edgesync.processor;

import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.time.Duration;
import java.util.List;

/** Typed configuration of the stream processor. */
public record ProcessorConfig(String kafkaBootstrap, String applicationId, String stateDir, int streamThreads,
                              Duration retention, Duration commitInterval) {

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
            "How long a record identity is remembered for dedupe and last-write-wins.");
    public static final Setting<Duration> COMMIT_INTERVAL = Setting.duration("processor.commit-interval", "100ms",
            "Exactly-once commit interval: the latency to telemetry.clean for read_committed readers.");

    public static final List<Setting<?>> SETTINGS = List.of(KAFKA, APPLICATION_ID, STATE_DIR, THREADS, RETENTION,
            COMMIT_INTERVAL);

    public static ProcessorConfig from(ConfigSource source) {
        return new ProcessorConfig(source.get(KAFKA), source.get(APPLICATION_ID), source.get(STATE_DIR),
                source.get(THREADS), source.get(RETENTION), source.get(COMMIT_INTERVAL));
    }
}
