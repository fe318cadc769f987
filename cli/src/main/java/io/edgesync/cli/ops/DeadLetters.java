package io.edgesync.cli.ops;

import io.edgesync.shared.kafka.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads {@code telemetry.dlq} from its start to the end offsets taken when reading began
 * ({@code read_committed}, no consumer group, nothing committed). A letter's id is
 * {@code partition:offset} of the DLQ.
 */
final class DeadLetters {
    static final String TOPIC = "telemetry.dlq";

    /** One dead letter as read. */
    record Letter(int partition, long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {
        String id() {
            return partition + ":" + offset;
        }

        /** The last value of a header as text, or null. */
        String header(String name) {
            String v = null;
            for (Header h : headers) {
                if (h.key().equals(name) && h.value() != null) {
                    v = new String(h.value(), StandardCharsets.UTF_8);
                }
            }
            return v;
        }
    }

    private DeadLetters() {
    }

    static List<Letter> readAll(KafkaClients kafka) {
        Map<String, Object> p = kafka.consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "edgesync-cli-dlq",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000));
        List<Letter> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(TOPIC, Duration.ofSeconds(15)).stream()
                    .map(i -> new TopicPartition(TOPIC, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + TOPIC + " to its end within 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(TOPIC, r.partition()))) {
                        out.add(new Letter(r.partition(), r.offset(), r.timestamp(), r.key(), r.value(),
                                List.of(r.headers().toArray())));
                    }
                }
            }
        }
        return out;
    }
}
