package io.edgesync.sink;

import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.time.Duration;
import java.util.List;

/** Typed configuration of the CockroachDB sink. */
public record SinkConfig(String kafkaBootstrap, String jdbcUrl, String groupId, int batchRows, Duration batchLinger,
                         int poolSize) {

    public static final Setting<String> KAFKA = Setting.string("kafka.bootstrap-servers", "127.0.0.1:9092",
            "Kafka bootstrap servers.");
    public static final Setting<String> JDBC_URL = Setting.secret("database.jdbc-url",
            "jdbc:postgresql://127.0.0.1:26257/defaultdb?user=root&sslmode=disable",
            "JDBC URL of CockroachDB or PostgreSQL (may carry credentials, so it is masked).");
    public static final Setting<String> GROUP_ID = Setting.string("sink.group-id", "edgesync-cockroach-sink",
            "Kafka consumer group of the sink.");
    public static final Setting<Integer> BATCH_ROWS = Setting.integer("sink.batch-rows", 1000, 1, 100_000,
            "Most rows written in one transaction.");
    public static final Setting<Duration> BATCH_LINGER = Setting.duration("sink.batch-linger", "100ms",
            "Longest a partial batch waits for more rows.");
    public static final Setting<Integer> POOL_SIZE = Setting.integer("sink.pool-size", 4, 1, 256,
            "Database connections of the sink.");

    public static final List<Setting<?>> SETTINGS = List.of(KAFKA, JDBC_URL, GROUP_ID, BATCH_ROWS, BATCH_LINGER,
            POOL_SIZE);

    public static SinkConfig from(ConfigSource source) {
        return new SinkConfig(source.get(KAFKA), source.get(JDBC_URL), source.get(GROUP_ID), source.get(BATCH_ROWS),
                source.get(BATCH_LINGER), source.get(POOL_SIZE));
    }
}
