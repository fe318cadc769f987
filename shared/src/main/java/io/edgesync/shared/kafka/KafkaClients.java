package io.edgesync.shared.kafka;

import io.edgesync.shared.config.ConfigException;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * The one place every Kafka client of EdgeSync (producers, consumers, Kafka Streams, admin) gets its
 * properties: the bootstrap servers, then the component's own defaults, then the operator's
 * {@code kafka.properties.*} pass-through (security.protocol, SASL, truststores, tuning), so a
 * service reaches Strimzi, Confluent Cloud or MSK without code. Keys a component needs for
 * correctness ({@link #RESERVED}) cannot be passed through: setting one fails at start-up, naming it.
 * Topics are created with {@code kafka.replication-factor} and {@code kafka.min-insync-replicas}.
 */
public record KafkaClients(String bootstrapServers, Map<String, String> passThrough, short replicationFactor,
                           int minInsyncReplicas) {

    public static final String PREFIX = "kafka.properties.";

    /** Properties that decide correctness (serialisation, delivery guarantees, group identity). */
    public static final Set<String> RESERVED = Set.of("bootstrap.servers", "key.serializer", "value.serializer",
            "key.deserializer", "value.deserializer", "enable.idempotence", "acks", "transactional.id",
            "isolation.level", "enable.auto.commit", "group.id", "application.id", "processing.guarantee",
            "default.key.serde", "default.value.serde");

    public static final Setting<String> BOOTSTRAP = Setting.string("kafka.bootstrap-servers", "127.0.0.1:9092",
            "Kafka bootstrap servers (host:port, comma-separated).");
    public static final Setting<Integer> REPLICATION_FACTOR = Setting.integer("kafka.replication-factor", 1, 1,
            Short.MAX_VALUE, "Replication factor of the topics EdgeSync creates when they are missing (3 in "
                    + "production); existing topics are left as they are.");
    public static final Setting<Integer> MIN_INSYNC_REPLICAS = Setting.integer("kafka.min-insync-replicas", 1, 1,
            Short.MAX_VALUE, "min.insync.replicas of the topics EdgeSync creates (2 with replication factor 3: "
                    + "acks=all writes survive one broker down); at most kafka.replication-factor.");

    /**
     * Documented pseudo-setting: {@code kafka.properties.<name>} (environment
     * {@code EDGESYNC_KAFKA_PROPERTIES_<NAME>}, dots as underscores; {@code _FILE} for secrets).
     */
    public static final Setting<String> PROPERTIES = new Setting<>("kafka.properties.*", null,
            "Any Kafka client property, passed to every producer, consumer, Kafka Streams and admin client of "
                    + "the service, e.g. kafka.properties.security.protocol=SASL_SSL, "
                    + "kafka.properties.sasl.mechanism=SCRAM-SHA-512, kafka.properties.sasl.jaas.config, "
                    + "kafka.properties.ssl.truststore.location. Not allowed: " + String.join(", ", reserved()) + ".",
            false, "any value the Kafka client accepts for that property", s -> s);

    /** Bootstrap, replication and pass-through, in the order of docs/configuration.md. */
    public static final List<Setting<?>> SETTINGS = List.of(BOOTSTRAP, REPLICATION_FACTOR, MIN_INSYNC_REPLICAS,
            PROPERTIES);

    public KafkaClients {
        Objects.requireNonNull(bootstrapServers);
        passThrough = Map.copyOf(passThrough);
        for (String key : passThrough.keySet()) {
            if (RESERVED.contains(key)) {
                throw new ConfigException("invalid key " + PREFIX + key + ": " + key + " is set by EdgeSync "
                        + "itself and cannot be passed through; not allowed: " + String.join(", ", reserved()));
            }
        }
        if (minInsyncReplicas > replicationFactor) {
            throw new ConfigException("invalid key " + MIN_INSYNC_REPLICAS.key() + ": " + minInsyncReplicas
                    + " is more than " + REPLICATION_FACTOR.key() + " " + replicationFactor
                    + "; accepted: 1 to the replication factor");
        }
    }

    /** Only bootstrap servers: local mode, benches and tests against the embedded broker. */
    public static KafkaClients of(String bootstrapServers) {
        return new KafkaClients(bootstrapServers, Map.of(), (short) 1, 1);
    }

    public static KafkaClients from(ConfigSource source) {
        return from(source, source.get(BOOTSTRAP));
    }

    /** As {@link #from(ConfigSource)} with a service's own bootstrap setting's value. */
    public static KafkaClients from(ConfigSource source, String bootstrapServers) {
        return new KafkaClients(bootstrapServers, source.withPrefix(PREFIX),
                source.get(REPLICATION_FACTOR).shortValue(), source.get(MIN_INSYNC_REPLICAS));
    }

    public Map<String, Object> producer(Map<String, ?> own) {
        return build(own);
    }

    public Map<String, Object> consumer(Map<String, ?> own) {
        return build(own);
    }

    public Map<String, Object> admin(Map<String, ?> own) {
        return build(own);
    }

    /** Kafka Streams applies these to its producers, consumers and admin client alike. */
    public Properties streams(Map<String, ?> own) {
        Properties p = new Properties();
        p.putAll(build(own));
        return p;
    }

    /** Topic configuration added to each contract topic's own when EdgeSync creates it. */
    public Map<String, String> topicConfigs(Map<String, String> own) {
        Map<String, String> out = new HashMap<>(own);
        out.put("min.insync.replicas", Integer.toString(minInsyncReplicas));
        return out;
    }

    private Map<String, Object> build(Map<String, ?> own) {
        Map<String, Object> out = new HashMap<>();
        out.put("bootstrap.servers", bootstrapServers);
        out.putAll(own);
        out.putAll(passThrough);
        out.put("bootstrap.servers", bootstrapServers);
        return out;
    }

    private static List<String> reserved() {
        return RESERVED.stream().sorted().toList();
    }

    /** The pass-through keys with secrets masked, for a start-up log line. */
    @Override
    public String toString() {
        return "KafkaClients[bootstrap=" + bootstrapServers + ", properties=" + passThrough.keySet()
                + ", replicationFactor=" + replicationFactor + ", minInsyncReplicas=" + minInsyncReplicas + "]";
    }
}
