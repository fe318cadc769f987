package io.edgesync.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.auth.RegistryEntry;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.KafkaClients;
import io.edgesync.shared.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
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
 *
 * <p>If the reader fails (any error of its consumer), it is not left dead: {@link #loaded()} goes
 * false at once (the gateway is then not ready, so no upload is judged on a registry that stopped
 * following), and the reader starts again with a new consumer after a backoff (doubling up to
 * {@link #MAX_BACKOFF}), reads the topic from its beginning again, and is loaded again at its end.
 * Entries already read stay in force meanwhile. An {@link Error} ends the reader for good: it is not
 * loaded again, so the gateway stays not ready until it is restarted.
 */
public final class DeviceRegistryCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistryCache.class);
    private static final Duration POLL = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Map<String, RegistryEntry> entries = new ConcurrentHashMap<>();
    private final Supplier<Consumer<String, byte[]>> consumers;
    private final Duration firstBackoff;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean loaded = new AtomicBoolean(false);
    private final AtomicLong restarts = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Thread thread;
    private volatile Consumer<String, byte[]> consumer;

    DeviceRegistryCache(Supplier<Consumer<String, byte[]>> consumers, Duration firstBackoff) {
        this.consumers = consumers;
        this.firstBackoff = firstBackoff;
        this.thread = new Thread(this::run, "gateway-registry");
        this.thread.setDaemon(true);
    }

    public static DeviceRegistryCache start(KafkaClients kafka) {
        return start(() -> new KafkaConsumer<>(kafka.consumer(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "ingest-gateway-registry",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100)),
                new StringDeserializer(), new ByteArrayDeserializer()), Duration.ofSeconds(1));
    }

    static DeviceRegistryCache start(Supplier<Consumer<String, byte[]>> consumers, Duration firstBackoff) {
        DeviceRegistryCache cache = new DeviceRegistryCache(consumers, firstBackoff);
        cache.thread.start();
        return cache;
    }

    /**
     * True once everything the topic held when the current reader started has been read, and while that
     * reader runs: until then (and after a failure, until the restarted reader has caught up) a
     * revocation may be unseen.
     */
    public boolean loaded() {
        return loaded.get();
    }

    /** Whether the reader's thread still runs (it ends only on {@link #close()} or an {@link Error}). */
    boolean reading() {
        return thread.isAlive();
    }

    /** How often the reader failed and was started again. */
    public long restarts() {
        return restarts.get();
    }

    /** The latest entry of a device, if the dispatcher wrote one. */
    public Optional<RegistryEntry> entry(String deviceId) {
        return Optional.ofNullable(entries.get(deviceId));
    }

    private void run() {
        Duration backoff = firstBackoff;
        try {
            while (running.get()) {
                try {
                    consumer = consumers.get();
                    follow(consumer);
                } catch (WakeupException e) {
                    // closing
                } catch (RuntimeException e) {
                    if (loaded.getAndSet(false)) {
                        backoff = firstBackoff; // it had been working: a fresh failure, not a persistent one
                    }
                    restarts.incrementAndGet();
                    LOG.error("event=registry_reader_failed error={} restart_in_ms={}", e.getClass().getSimpleName(),
                            backoff.toMillis());
                } finally {
                    closeQuietly(consumer);
                }
                if (running.get() && stopRequested.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Error e) {
            // not restarted (out of memory, a broken class path): the gateway stays not ready instead
            LOG.error("event=registry_reader_died error={} restarts={}", e.getClass().getSimpleName(), restarts.get());
            throw e;
        } finally {
            loaded.set(false);
            stopped.countDown();
        }
    }

    /** Reads the topic from its beginning, then follows it until stopped or it fails. */
    private void follow(Consumer<String, byte[]> c) {
        List<TopicPartition> partitions = List.of();
        while (running.get() && partitions.isEmpty()) {
            partitions = partitions(c);
        }
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> endAtStart = running.get() ? c.endOffsets(partitions) : Map.of();
        boolean caughtUp = false;
        while (running.get()) {
            for (ConsumerRecord<String, byte[]> r : c.poll(POLL)) {
                apply(r.key(), r.value());
            }
            if (!caughtUp && endAtStart.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                caughtUp = true;
                loaded.set(true);
                LOG.info("event=registry_loaded devices={} restarts={}", entries.size(), restarts.get());
            }
        }
    }

    private static List<TopicPartition> partitions(Consumer<String, byte[]> c) {
        try {
            return c.partitionsFor(Topics.DEVICE_REGISTRY.name(), Duration.ofSeconds(5)).stream()
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
            RegistryEntry kept = entries.merge(deviceId, entry, (held, incoming) -> incoming.isNewerThan(held)
                    ? incoming : held);
            if (kept != entry) {
                LOG.info("event=registry_entry_stale device={} version={} held_version={}", deviceId,
                        entry.tokenVersion(), kept.tokenVersion());
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            LOG.warn("event=registry_entry_unreadable device={} error={}", deviceId, e.getClass().getSimpleName());
        }
    }

    private static void closeQuietly(Consumer<String, byte[]> c) {
        if (c == null) {
            return;
        }
        try {
            c.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.info("event=registry_consumer_close_failed error={}", e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        running.set(false);
        stopRequested.countDown();
        Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            stopped.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
