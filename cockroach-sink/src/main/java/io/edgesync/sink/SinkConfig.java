package io.edgesync.sink;

import io.edgesync.shared.db.DatabaseTls;
import io.edgesync.shared.kafka.KafkaClients;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import io.edgesync.shared.db.DatabaseTimeouts;
import java.time.Duration;
import java.util.List;

/** Typed configuration of the CockroachDB sink. */
public record SinkConfig(String kafkaBootstrap, String jdbcUrl, String groupId, int batchRows, Duration batchLinger,
                         int poolSize, int txMaxAttempts, Duration reconnectBackoffMax, Duration retention,
                         Duration retentionInterval, int retentionBatchRows, Duration sessionTimeout,
                         String host, int port, DatabaseTimeouts dbTimeouts, KafkaClients kafka, DatabaseTls dbTls) {

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
    public static final Setting<Integer> TX_MAX_ATTEMPTS = Setting.integer("sink.tx-max-attempts", 8, 1, 100,
            "Attempts of one batch transaction that fails with SQLSTATE 40001 (serialization failure) before the "
                    + "sink pauses and retries it with backoff.");
    public static final Setting<Duration> RECONNECT_BACKOFF_MAX = Setting.duration("sink.reconnect-backoff-max", "5s",
            "Longest wait between attempts while the database is unreachable (the consumer is paused and keeps "
                    + "polling, so it stays in its group).");
    public static final Setting<Duration> RETENTION = Setting.duration("sink.retention", "90d",
            "How long telemetry_data and conflict_log rows are kept, by reading time (timestamp, detected_at). "
                    + "CockroachDB: row-level TTL; PostgreSQL: a batched delete run by the sink.");
    public static final Setting<Duration> RETENTION_INTERVAL = Setting.duration("sink.retention-interval", "1h",
            "How often the sink deletes expired rows on PostgreSQL (and the TTL job runs on CockroachDB).");
    public static final Setting<Integer> RETENTION_BATCH_ROWS = Setting.integer("sink.retention-batch-rows", 10_000,
            1, 1_000_000, "Most rows one retention DELETE statement removes on PostgreSQL.");

    public static final Setting<Duration> SESSION_TIMEOUT = Setting.duration("sink.session-timeout", "45s",
            "Kafka consumer session timeout: how long a sink that died without leaving its group keeps its "
                    + "partitions before the others take them over (the broker allows 6s to 5m by default).");

    public static final Setting<String> HOST = Setting.string("sink.host", "127.0.0.1",
            "Address the health and metrics HTTP server binds to.");
    public static final Setting<Integer> PORT = Setting.integer("sink.port", 7072, -1, 65535,
            "HTTP port of /health/live, /health/ready and /metrics; 0 picks a free one, -1 turns the server off.");

    public static final List<Setting<?>> SETTINGS = List.of(KAFKA, JDBC_URL, GROUP_ID, BATCH_ROWS, BATCH_LINGER,
            POOL_SIZE, TX_MAX_ATTEMPTS, RECONNECT_BACKOFF_MAX, RETENTION, RETENTION_INTERVAL, RETENTION_BATCH_ROWS,
            SESSION_TIMEOUT, HOST, PORT, DatabaseTimeouts.STATEMENT_TIMEOUT, DatabaseTimeouts.SOCKET_TIMEOUT,
            KafkaClients.REPLICATION_FACTOR, KafkaClients.MIN_INSYNC_REPLICAS, KafkaClients.PROPERTIES,
            DatabaseTls.SSL_MODE, DatabaseTls.SSL_ROOT_CERT, DatabaseTls.SSL_CERT, DatabaseTls.SSL_KEY,
            DatabaseTls.SSL_KEY_PASSWORD);

    public static SinkConfig from(ConfigSource source) {
        return new SinkConfig(source.get(KAFKA), source.get(JDBC_URL), source.get(GROUP_ID), source.get(BATCH_ROWS),
                source.get(BATCH_LINGER), source.get(POOL_SIZE), source.get(TX_MAX_ATTEMPTS),
                source.get(RECONNECT_BACKOFF_MAX), source.get(RETENTION), source.get(RETENTION_INTERVAL),
                source.get(RETENTION_BATCH_ROWS), source.get(SESSION_TIMEOUT),
                source.get(HOST), source.get(PORT), DatabaseTimeouts.from(source), KafkaClients.from(source, source.get(KAFKA)), DatabaseTls.from(source));
    }
}
