package io.edgesync.cli.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The consumer example of docs/topics.md ("Consuming telemetry.clean"): plain kafka-clients and Jackson,
 * read_committed, at-least-once (a poll's readings are handled, then its offsets committed).
 * TopicContractsIT reads the topic with it, so the example is known to work.
 */
public final class TelemetryCleanConsumer implements AutoCloseable {
    /** One reading of telemetry.clean (schema docs/contracts/schemas/telemetry.clean.v1.json). */
    public record Reading(String deviceId, String id, String sensorId, Instant timestamp, double value, long version) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final KafkaConsumer<String, byte[]> consumer;

    public TelemetryCleanConsumer(String bootstrapServers, String groupId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // the processor writes in transactions: see only committed ones, never an aborted attempt
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of("telemetry.clean"));
    }

    /** Polls once, hands every reading to {@code handler}, then commits: returns how many there were. */
    public int poll(Duration timeout, Consumer<Reading> handler) {
        int n = 0;
        for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
            JsonNode v;
            try {
                v = MAPPER.readTree(r.value());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON at offset " + r.offset(), e);
            }
            handler.accept(new Reading(r.key(), v.path("id").asText(), v.path("sensorId").asText(),
                    Instant.ofEpochMilli(v.path("timestamp").asLong()), v.path("value").asDouble(),
                    v.path("version").asLong()));
            n++;
        }
        consumer.commitSync();
        return n;
    }

    @Override
    public void close() {
        consumer.close();
    }

    /** {@code java ... TelemetryCleanConsumer <bootstrap-servers>}: prints readings until stopped. */
    public static void main(String[] args) {
        try (TelemetryCleanConsumer c = new TelemetryCleanConsumer(args[0], "example-telemetry-reader")) {
            while (true) {
                c.poll(Duration.ofSeconds(1), System.out::println);
            }
        }
    }
}
