package io.edgesync.gateway.tables;

import io.edgesync.shared.kafka.KafkaClients;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.tables.TableDefinition;
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
 * The tables registered for sync, read from the compacted topic {@code sync.table-registry} from
 * its beginning and followed while the gateway runs (no consumer group). A tombstone unregisters
 * a table.
 */
public final class TableRegistryCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TableRegistryCache.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, TableDefinition> tables = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean loaded = new AtomicBoolean(false);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;

    private TableRegistryCache(KafkaClients kafka) {
        this.consumer = new KafkaConsumer<>(kafka.consumer(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "ingest-gateway-table-registry",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100)),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "gateway-table-registry");
        this.thread.setDaemon(true);
    }

    public static TableRegistryCache start(KafkaClients kafka) {
        TableRegistryCache cache = new TableRegistryCache(kafka);
        cache.thread.start();
        return cache;
    }

    /** True once everything the topic held at start has been read. */
    public boolean loaded() {
        return loaded.get();
    }

    public Optional<TableDefinition> table(String name) {
        return Optional.ofNullable(tables.get(name));
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
                    LOG.info("event=table_registry_loaded tables={}", tables.size());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("event=table_registry_reader_failed error={}", e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(5));
            stopped.countDown();
        }
    }

    private List<TopicPartition> partitions() {
        try {
            return consumer.partitionsFor(Topics.SYNC_TABLE_REGISTRY.name(), Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            LOG.warn("event=table_registry_topic_unavailable topic={}", Topics.SYNC_TABLE_REGISTRY.name());
            return List.of();
        }
    }

    void apply(String name, byte[] value) {
        if (name == null) {
            return;
        }
        if (value == null) {
            tables.remove(name);
            return;
        }
        try {
            TableDefinition definition = Json.mapper().readValue(value, TableDefinition.class);
            if (!name.equals(definition.name())) {
                throw new IllegalArgumentException("key and name differ");
            }
            tables.put(name, definition);
        } catch (java.io.IOException | IllegalArgumentException e) {
            LOG.warn("event=table_definition_unreadable table={} error={}", name, e.getClass().getSimpleName());
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
