package io.edgesync.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.auth.RegistryEntry;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest {@link RegistryEntry} of every device, read from the compacted topic
 * {@code device.registry} from its beginning and followed while the gateway runs (no consumer
 * group: every gateway instance reads everything). A new entry is visible within one poll, well
 * under the 5 s the contract allows for revocations. A tombstone (deleted device) refuses every token.
 */
public final class DeviceRegistryCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistryCache.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, RegistryEntry> entries = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean loaded = new AtomicBoolean(false);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;

    private DeviceRegistryCache(String bootstrapServers) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "ingest-gateway-registry",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "gateway-registry");
        this.thread.setDaemon(true);
    }

    public static DeviceRegistryCache start(String bootstrapServers) {
        DeviceRegistryCache cache = new DeviceRegistryCache(bootstrapServers);
        cache.thread.start();
        return cache;
    }

    /** True once everything the topic held at start has been read: until then a revocation may be unseen. */
    public boolean loaded() {
        return loaded.get();
    }

    /** The latest entry of a device, if the dispatcher wrote one. */
    public Optional<RegistryEntry> entry(String deviceId) {
        return Optional.ofNullable(entries.get(deviceId));
    }

    private void run() {
        try {
            List<TopicPartition> partitions = List.of();
            while (running.get() && partitions.isEmpty()) {
                partitions = partitions();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endAtStart = running.get() ? consumer.endOffsets(partitions) : Map.of();
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    apply(r.key(), r.value());
                }
                if (!loaded.get() && endAtStart.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    loaded.set(true);
                    LOG.info("event=registry_loaded devices={}", entries.size());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("event=registry_reader_failed error={}", e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(5));
            stopped.countDown();
        }
    }

    private List<TopicPartition> partitions() {
        try {
            return consumer.partitionsFor(Topics.DEVICE_REGISTRY.name(), Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            LOG.warn("event=registry_topic_unavailable topic={}", Topics.DEVICE_REGISTRY.name());
            return List.of();
        }
    }

    void apply(String deviceId, byte[] value) {
        if (deviceId == null) {
            return;
        }
        if (value == null) {
            entries.put(deviceId, new RegistryEntry(deviceId, RegistryEntry.REVOKED, Long.MAX_VALUE, 0));
            return;
        }
        try {
            JsonNode node = Json.mapper().readTree(value);
            RegistryEntry entry = Json.mapper().treeToValue(node, RegistryEntry.class);
            if (entry.status() == null) {
                throw new IllegalArgumentException("no status");
            }
            entries.put(deviceId, entry);
        } catch (java.io.IOException | IllegalArgumentException e) {
            LOG.warn("event=registry_entry_unreadable device={} error={}", deviceId, e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            stopped.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
