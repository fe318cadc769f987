package io.edgesync.testsupport;

import io.edgesync.shared.json.Json;
import io.edgesync.shared.model.TelemetryRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reading topics in tests: everything committed so far, end offsets, consumer-group lag. */
public final class KafkaTopics {
    private KafkaTopics() {
    }

    /** Every committed (read_committed) record of a topic, from the beginning to the current end. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        forEach(bootstrap, topic, out::add);
        return out;
    }

    public static void forEach(String bootstrap, String topic, Consumer<ConsumerRecord<byte[], byte[]>> action) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 60_000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within 60 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(action);
            }
        }
    }

    /**
     * How often each telemetry identity ({@code deviceId/id}) is in a topic of telemetry records
     * (e.g. telemetry.clean), as a read_committed consumer sees it; only {@code deviceId}'s records
     * unless it is null. Where "exactly once" is checked: a duplicate shows here, not in a table whose
     * primary key keeps one row per identity.
     */
    public static Map<String, Long> telemetryCopies(String bootstrap, String topic, String deviceId) {
        Map<String, Long> copies = new HashMap<>();
        forEach(bootstrap, topic, r -> {
            TelemetryRecord t = Json.fromBytes(r.value(), TelemetryRecord.class);
            if (deviceId == null || deviceId.equals(t.deviceId())) {
                copies.merge(t.deviceId() + "/" + t.id(), 1L, Long::sum);
            }
        });
        return copies;
    }

    /** copies → number of identities with that many copies; {@code {1=n}} when each of n is there once. */
    public static Map<Long, Long> copyHistogram(Map<String, Long> copies) {
        Map<Long, Long> histogram = new TreeMap<>();
        copies.values().forEach(c -> histogram.merge(c, 1L, Long::sum));
        return histogram;
    }

    /** Sum of the end offsets (for a non-transactional topic: the number of records ever written). */
    public static long endOffsetSum(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            return consumer.endOffsets(partitions(consumer, topic)).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** True when the group has committed offsets at the end of every partition of the topic. */
    public static boolean caughtUp(String bootstrap, String groupId, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions(consumer, topic));
            return end.entrySet().stream().allMatch(e -> e.getValue() == 0
                    || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue()));
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
