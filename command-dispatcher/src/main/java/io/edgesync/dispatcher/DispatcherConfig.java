package io.edgesync.dispatcher;

import io.edgesync.dispatcher.function.StorageConfig;
import io.edgesync.shared.config.ConfigException;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import io.edgesync.shared.db.DatabaseTimeouts;
import io.edgesync.shared.tls.TlsSettings;
import io.edgesync.shared.db.DatabaseTls;
import io.edgesync.shared.kafka.KafkaClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Typed configuration of the command dispatcher. Every key is listed in docs/configuration.md. */
public record DispatcherConfig(String host, int port, String kafkaBootstrap, String jdbcUrl, int poolSize,
                               Path signingKeyFile, String enrollmentKey, String operatorToken,
                               Duration deviceTokenTtl, Duration defaultCommandTtl, Duration maxCommandTtl,
                               Duration visibilityTimeout, Duration maxLongPoll,
                               Duration heartbeatInterval, int offlineAfterIntervals, Duration expirySweepInterval,
                               int maxCommandsPerPoll, int maxPollsPerDevice, DatabaseTimeouts dbTimeouts,
                               DispatcherSecurity security, StorageConfig storage,
                               CredentialPolicy credentials, CommandGroupPolicy groups,
                               EnrollmentPolicy enrollment, KafkaClients kafka, DatabaseTls dbTls, TlsSettings tls) {

    public static final Setting<String> HOST = Setting.string("dispatcher.host", "127.0.0.1",
            "Address the HTTP server binds to.");
    public static final Setting<Integer> PORT = Setting.integer("dispatcher.port", 7071, 0, 65535,
            "HTTP (or HTTPS, with a keystore) port; 0 picks a free one.");
    /** The same four settings as the gateway's, under dispatcher.tls. */
    public static final TlsSettings.Keys TLS = TlsSettings.declare("dispatcher");
    public static final Setting<String> KAFKA = Setting.string("kafka.bootstrap-servers", "127.0.0.1:9092",
            "Kafka bootstrap servers.");
    public static final Setting<String> JDBC_URL = Setting.secret("database.jdbc-url",
            "jdbc:postgresql://127.0.0.1:26257/defaultdb?user=root&sslmode=disable",
            "JDBC URL of CockroachDB or PostgreSQL (may carry credentials, so it is masked).");
    public static final Setting<Integer> POOL_SIZE = Setting.integer("dispatcher.pool-size", 8, 1, 256,
            "Database connections of the dispatcher.");
    public static final Setting<String> SIGNING_KEY_FILE = Setting.string("dispatcher.signing-key-file", "",
            "Required. JWK file with the ES256 private key that signs device and operator tokens; the gateway "
                    + "gets the public half (gateway.jwt-public-key-file).");
    public static final Setting<String> ENROLLMENT_KEY = Setting.secret("dispatcher.enrollment-key", "",
            "Fleet enrollment key devices present to register themselves; empty: only operators register devices.");
    public static final Setting<String> OPERATOR_TOKEN = Setting.secret("dispatcher.operator-token", "",
            "Bootstrap operator API token (role operator); it can issue further operator and viewer tokens. "
                    + "Empty: none.");
    public static final Setting<Duration> DEVICE_TOKEN_TTL = Setting.duration("dispatcher.device-token-ttl", "365d",
            "Lifetime of a device token.");
    public static final Setting<Duration> DEFAULT_COMMAND_TTL = Setting.duration("dispatcher.command-default-ttl",
            "24h", "Time to live of a command created without ttlSeconds; then it expires.");
    public static final Setting<Duration> MAX_COMMAND_TTL = Setting.duration("dispatcher.command-max-ttl", "30d",
            "Largest ttlSeconds a command may ask for; more is 400.");
    public static final Setting<Duration> VISIBILITY_TIMEOUT = Setting.duration("dispatcher.visibility-timeout",
            "60s", "A delivered command not acknowledged within this is delivered again.");
    public static final Setting<Duration> MAX_LONG_POLL = Setting.duration("dispatcher.max-long-poll", "60s",
            "Largest ?wait= a device may ask for; more is 400.");
    public static final Setting<Integer> MAX_POLLS_PER_DEVICE = Setting.integer("dispatcher.max-polls-per-device",
            2, 1, 100, "Most long-polls one device may hold at once (on one dispatcher instance); one more is 429 "
                    + "rate_limited with Retry-After.");
    public static final Setting<Duration> HEARTBEAT_INTERVAL = Setting.duration("dispatcher.heartbeat-interval",
            "30s", "Interval at which devices are expected to send heartbeats.");
    public static final Setting<Integer> OFFLINE_AFTER = Setting.integer("dispatcher.offline-after-intervals", 3, 1,
            1000, "A device with no heartbeat for this many heartbeat intervals shows offline.");
    public static final Setting<Duration> EXPIRY_SWEEP = Setting.duration("dispatcher.expiry-sweep-interval", "5s",
            "How often commands past their TTL are marked expired (and the change published).");
    public static final Setting<Integer> MAX_COMMANDS_PER_POLL = Setting.integer("dispatcher.max-commands-per-poll",
            100, 1, 10_000, "Most commands one poll delivers; the rest come with the next poll.");

    public static final List<Setting<?>> SETTINGS = java.util.stream.Stream.of(List.<Setting<?>>of(HOST, PORT, KAFKA, JDBC_URL, POOL_SIZE, SIGNING_KEY_FILE,
            ENROLLMENT_KEY, OPERATOR_TOKEN, DEVICE_TOKEN_TTL, DEFAULT_COMMAND_TTL, MAX_COMMAND_TTL,
            VISIBILITY_TIMEOUT, MAX_LONG_POLL, HEARTBEAT_INTERVAL, OFFLINE_AFTER, EXPIRY_SWEEP,
            MAX_COMMANDS_PER_POLL, MAX_POLLS_PER_DEVICE, DatabaseTimeouts.STATEMENT_TIMEOUT, DatabaseTimeouts.SOCKET_TIMEOUT),
            DispatcherSecurity.SETTINGS, StorageConfig.SETTINGS,
            CredentialPolicy.SETTINGS, CommandGroupPolicy.SETTINGS,
            EnrollmentPolicy.SETTINGS, KafkaClients.SETTINGS.subList(1, KafkaClients.SETTINGS.size()),
            DatabaseTls.SETTINGS, TLS.all()).flatMap(List::stream).toList();

    public static DispatcherConfig from(ConfigSource source) {
        String keyFile = source.get(SIGNING_KEY_FILE);
        if (keyFile == null || keyFile.isBlank()) {
            throw new ConfigException("missing key " + SIGNING_KEY_FILE.key() + " (environment variable "
                    + SIGNING_KEY_FILE.envName() + "); accepted: " + SIGNING_KEY_FILE.accepted()
                    + " naming a JWK file with an EC P-256 private key");
        }
        return new DispatcherConfig(source.get(HOST), source.get(PORT), source.get(KAFKA), source.get(JDBC_URL),
                source.get(POOL_SIZE), Path.of(keyFile), source.get(ENROLLMENT_KEY), source.get(OPERATOR_TOKEN),
                positive(source, DEVICE_TOKEN_TTL), positive(source, DEFAULT_COMMAND_TTL),
                positive(source, MAX_COMMAND_TTL), positive(source, VISIBILITY_TIMEOUT), positive(source, MAX_LONG_POLL),
                positive(source, HEARTBEAT_INTERVAL), source.get(OFFLINE_AFTER),
                positive(source, EXPIRY_SWEEP), source.get(MAX_COMMANDS_PER_POLL), source.get(MAX_POLLS_PER_DEVICE), DatabaseTimeouts.from(source),
                DispatcherSecurity.from(source), StorageConfig.from(source),
                CredentialPolicy.from(source), CommandGroupPolicy.from(source),
                EnrollmentPolicy.from(source), KafkaClients.from(source, source.get(KAFKA)), DatabaseTls.from(source),
                TlsSettings.from(source, TLS));
    }

    /** How long without a heartbeat before a device shows offline. */
    public Duration offlineAfter() {
        return heartbeatInterval.multipliedBy(offlineAfterIntervals);
    }

    private static Duration positive(ConfigSource source, Setting<Duration> setting) {
        Duration d = source.get(setting);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException("invalid key " + setting.key() + ": " + d + "; accepted: a positive duration");
        }
        return d;
    }
}
