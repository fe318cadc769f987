package io.edgesync.gateway;

import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import io.edgesync.shared.kafka.KafkaClients;
import io.edgesync.shared.tls.TlsSettings;
import java.nio.file.Path;
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
        AuthMode authMode,
        Path jwtPublicKeyFile,
        int rateLimitPerSecond,
        int rateLimitBurst,
        TlsSettings tls,
        Duration drainTimeout,
        Producer producer,
        Duration maxTimestampAhead,
        KafkaClients kafka) {

    public enum AuthMode { NONE, JWT, MTLS }

    public enum Compression { NONE, GZIP, SNAPPY, LZ4, ZSTD }

    /** Producer tuning for throughput; acks=all and idempotence are fixed. */
    public record Producer(Duration linger, int batchBytes, Compression compression) {
    }

    public static final Setting<String> HOST = Setting.string("gateway.host", "127.0.0.1",
            "Address the HTTP server binds to.");
    public static final Setting<Integer> PORT = Setting.integer("gateway.port", 7070, 0, 65535,
            "HTTP (or HTTPS, with a keystore) port; 0 picks a free one.");
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
            "jwt: ES256 device tokens signed by the dispatcher (needs gateway.jwt-public-key-file); mtls: the client "
                    + "certificate's CN names the device (needs a keystore and truststore); none: trust the deviceId "
                    + "in the body (demo and trusted networks only).");
    public static final Setting<String> JWT_PUBLIC_KEY_FILE = Setting.string("gateway.jwt-public-key-file", null,
            "JWK file with the dispatcher's public EC key (P-256); required when gateway.auth-mode=jwt.");
    public static final Setting<Integer> RATE_LIMIT = Setting.integer("gateway.rate-limit.records-per-second", 10_000,
            1, 100_000_000, "Sustained records per second each device may upload (token bucket refill); past it, 429.");
    public static final Setting<Integer> RATE_BURST = Setting.integer("gateway.rate-limit.burst", 50_000, 1,
            100_000_000, "Records a device may upload at once after being idle (token bucket size).");
    public static final TlsSettings.Keys TLS = TlsSettings.declare("gateway");
    public static final Setting<String> KEYSTORE = TLS.keystore();
    public static final Setting<String> KEYSTORE_PASSWORD = TLS.keystorePassword();
    public static final Setting<String> TRUSTSTORE = TLS.truststore();
    public static final Setting<String> TRUSTSTORE_PASSWORD = TLS.truststorePassword();
    public static final Setting<Duration> DRAIN_TIMEOUT = Setting.duration("gateway.drain-timeout", "30s",
            "On shutdown, how long to wait for requests in flight to finish before closing.");
    public static final Setting<Duration> LINGER = Setting.duration("gateway.producer.linger", "5ms",
            "Producer linger.ms: how long the producer waits to fill a batch.");
    public static final Setting<Integer> BATCH_BYTES = Setting.integer("gateway.producer.batch-bytes", 256 * 1024,
            1024, 64 * 1024 * 1024, "Producer batch.size in bytes per partition.");
    public static final Setting<Compression> COMPRESSION = Setting.oneOf("gateway.producer.compression",
            Compression.LZ4, Compression.class, "Producer compression.type.");

    public static final Setting<Duration> MAX_TIMESTAMP_AHEAD = Setting.duration("gateway.max-timestamp-ahead", "1d",
            "How far past the gateway's clock a record's timestamp may be; later is rejected per record (invalid_field).");

    public static final List<Setting<?>> SETTINGS = List.of(HOST, PORT, KAFKA, MAX_BATCH_RECORDS, MAX_BATCH_BYTES,
            MAX_IN_FLIGHT, PRODUCE_TIMEOUT, AUTH_MODE, JWT_PUBLIC_KEY_FILE, RATE_LIMIT, RATE_BURST, KEYSTORE,
            KEYSTORE_PASSWORD, TRUSTSTORE, TRUSTSTORE_PASSWORD, DRAIN_TIMEOUT, LINGER, BATCH_BYTES, COMPRESSION,
            MAX_TIMESTAMP_AHEAD, KafkaClients.REPLICATION_FACTOR, KafkaClients.MIN_INSYNC_REPLICAS,
            KafkaClients.PROPERTIES);

    public static GatewayConfig from(ConfigSource source) {
        TlsSettings tls = TlsSettings.from(source, TLS);
        GatewayConfig config = new GatewayConfig(source.get(HOST), source.get(PORT), source.get(KAFKA),
                source.get(MAX_BATCH_RECORDS), source.get(MAX_BATCH_BYTES), source.get(MAX_IN_FLIGHT),
                source.get(PRODUCE_TIMEOUT), source.get(AUTH_MODE), path(source.get(JWT_PUBLIC_KEY_FILE)),
                source.get(RATE_LIMIT), source.get(RATE_BURST), tls, source.get(DRAIN_TIMEOUT),
                new Producer(source.get(LINGER), source.get(BATCH_BYTES), source.get(COMPRESSION)),
                source.get(MAX_TIMESTAMP_AHEAD), KafkaClients.from(source, source.get(KAFKA)));
        return config;
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }
}
