package io.edgesync.gateway;

import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.time.Duration;
import java.util.List;

/** Typed configuration of the ingest gateway. Every key is listed in docs/configuration.md. */
public record GatewayConfig(
        String host,
        int port,
        String kafkaBootstrap,
        int maxBatchRecords,
        int maxBatchBytes,
        int maxInFlightRecords,
        Duration produceTimeout,
        AuthMode authMode) {

    public enum AuthMode { NONE, JWT }

    public static final Setting<String> HOST = Setting.string("gateway.host", "127.0.0.1",
            "Address the HTTP server binds to.");
    public static final Setting<Integer> PORT = Setting.integer("gateway.port", 7070, 0, 65535,
            "HTTP port; 0 picks a free one.");
    public static final Setting<String> KAFKA = Setting.string("kafka.bootstrap-servers", "127.0.0.1:9092",
            "Kafka bootstrap servers.");
    public static final Setting<Integer> MAX_BATCH_RECORDS = Setting.integer("gateway.max-batch-records", 5000, 1,
            1_000_000, "Most records in one upload; more is 413.");
    public static final Setting<Integer> MAX_BATCH_BYTES = Setting.integer("gateway.max-batch-bytes", 4 * 1024 * 1024,
            1024, 256 * 1024 * 1024, "Most bytes in one upload after gzip decoding; more is 413.");
    public static final Setting<Integer> MAX_IN_FLIGHT = Setting.integer("gateway.max-in-flight-records", 200_000, 1,
            10_000_000, "Records waiting for Kafka acknowledgement across all requests; past it, 503.");
    public static final Setting<Duration> PRODUCE_TIMEOUT = Setting.duration("gateway.produce-timeout", "15s",
            "How long a request waits for Kafka to acknowledge its records before answering 503.");
    public static final Setting<AuthMode> AUTH_MODE = Setting.oneOf("gateway.auth-mode", AuthMode.JWT, AuthMode.class,
            "jwt: device tokens signed by the dispatcher; none: trust the deviceId in the body (demo only).");

    public static final List<Setting<?>> SETTINGS = List.of(HOST, PORT, KAFKA, MAX_BATCH_RECORDS, MAX_BATCH_BYTES,
            MAX_IN_FLIGHT, PRODUCE_TIMEOUT, AUTH_MODE);

    public static GatewayConfig from(ConfigSource source) {
        return new GatewayConfig(source.get(HOST), source.get(PORT), source.get(KAFKA), source.get(MAX_BATCH_RECORDS),
                source.get(MAX_BATCH_BYTES), source.get(MAX_IN_FLIGHT), source.get(PRODUCE_TIMEOUT),
                source.get(AUTH_MODE));
    }
}
