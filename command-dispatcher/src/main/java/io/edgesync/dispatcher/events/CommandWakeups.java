package io.edgesync.dispatcher.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes this instance's waiting long-polls from {@code command.events}, so a command created on
 * another dispatcher instance is delivered at once without any poll re-reading the database. Every
 * instance reads every partition (no consumer group), from the end it found at start. A
 * {@code pending} event wakes the device's polls now; a {@code delivered} event wakes them again
 * after the visibility timeout (when the command becomes deliverable again unless acknowledged).
 * A failing reader starts again after a second from where it stopped, so no event is skipped.
 */
public final class CommandWakeups implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandWakeups.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration BACKOFF = Duration.ofSeconds(1);

    private final Supplier<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers;
    private final Consumer<String> wake;
    private final ScheduledExecutorService timer;
    private final Duration visibilityTimeout;
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final Thread thread;
    private volatile org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;

    /**
     * @param consumers new consumers of {@code command.events} (String keys, byte[] values)
     * @param wake      told a device id whose polls should read again
     */
    public CommandWakeups(Supplier<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers,
                          Consumer<String> wake, ScheduledExecutorService timer, Duration visibilityTimeout) {
        this.consumers = Objects.requireNonNull(consumers);
        this.wake = Objects.requireNonNull(wake);
        this.timer = Objects.requireNonNull(timer);
        this.visibilityTimeout = Objects.requireNonNull(visibilityTimeout);
        this.thread = new Thread(this::run, "dispatcher-command-wakeups");
        this.thread.setDaemon(true);
    }

    public CommandWakeups start() {
        thread.start();
        return this;
    }

    /** Waits until the reader holds its partitions (events from now on are seen); false on timeout. */
    public boolean awaitAssigned(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            while (running.get()) {
                try {
                    consumer = consumers.get();
                    follow(consumer);
                } catch (WakeupException e) {
                    // closing
                } catch (RuntimeException e) {
                    LOG.warn("event=command_wakeups_failed error={} restart_in_ms={}", e.getClass().getSimpleName(),
                            BACKOFF.toMillis());
                } finally {
                    closeQuietly(consumer);
                }
                if (running.get() && stopRequested.await(BACKOFF.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void follow(org.apache.kafka.clients.consumer.Consumer<String, byte[]> c) {
        List<TopicPartition> partitions = List.of();
        while (running.get() && partitions.isEmpty()) {
            List<PartitionInfo> infos = c.partitionsFor(Topics.COMMAND_EVENTS.name(), Duration.ofSeconds(10));
            partitions = infos == null ? List.of()
                    : infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        }
        c.assign(partitions);
        for (TopicPartition p : partitions) {
            Long at = positions.get(p);
            if (at != null) {
                c.seek(p, at);
            } else {
                c.seekToEnd(List.of(p));
                positions.put(p, c.position(p));
            }
        }
        assigned.countDown();
        while (running.get()) {
            for (ConsumerRecord<String, byte[]> r : c.poll(POLL)) {
                apply(r.key(), r.value());
                positions.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
            }
        }
    }

    private void apply(String deviceId, byte[] value) {
        if (deviceId == null || value == null) {
            return;
        }
        String status;
        try {
            status = Json.fromBytes(value, JsonNode.class).path("status").asText("");
        } catch (RuntimeException e) {
            LOG.warn("event=command_event_unreadable device_id={}", deviceId);
            return;
        }
        if ("pending".equals(status)) {
            wake.accept(deviceId);
        } else if ("delivered".equals(status)) {
            timer.schedule(() -> wake.accept(deviceId), visibilityTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static void closeQuietly(org.apache.kafka.clients.consumer.Consumer<String, byte[]> c) {
        if (c != null) {
            try {
                c.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("event=command_wakeups_close_failed error={}", e.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        stopRequested.countDown();
        org.apache.kafka.clients.consumer.Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        thread.join(10_000);
    }
}
