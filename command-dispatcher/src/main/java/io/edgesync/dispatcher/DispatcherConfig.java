package io.edgesync.dispatcher;

import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.util.List;

/** Typed configuration of the command dispatcher. */
public record DispatcherConfig(String host, int port, String kafkaBootstrap, String jdbcUrl, int poolSize) {

    public static final Setting<String> HOST = Setting.string("dispatcher.host", "127.0.0.1",
            "Address the HTTP server binds to.");
    public static final Setting<Integer> PORT = Setting.integer("dispatcher.port", 7071, 0, 65535,
            "HTTP port; 0 picks a free one.");
    public static final Setting<String> KAFKA = Setting.string("kafka.bootstrap-servers", "127.0.0.1:9092",
            "Kafka bootstrap servers.");
    public static final Setting<String> JDBC_URL = Setting.secret("database.jdbc-url",
            "jdbc:postgresql://127.0.0.1:26257/defaultdb?user=root&sslmode=disable",
            "JDBC URL of CockroachDB or PostgreSQL (may carry credentials, so it is masked).");
    public static final Setting<Integer> POOL_SIZE = Setting.integer("dispatcher.pool-size", 8, 1, 256,
            "Database connections of the dispatcher.");

    public static final List<Setting<?>> SETTINGS = List.of(HOST, PORT, KAFKA, JDBC_URL, POOL_SIZE);

    public static DispatcherConfig from(ConfigSource source) {
        return new DispatcherConfig(source.get(HOST), source.get(PORT), source.get(KAFKA), source.get(JDBC_URL),
                source.get(POOL_SIZE));
    }
}
