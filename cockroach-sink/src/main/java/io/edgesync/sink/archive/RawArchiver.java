package io.edgesync.sink.archive;

import io.edgesync.shared.kafka.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archives {@code telemetry.raw} into {@link RawArchive}: consumes it in its own group, buffers up to
 * {@code archive.max-records} or {@code archive.flush-interval}, writes one object per partition and
 * hour, and commits the offsets only after the objects are written (a crash re-archives, never skips).
 */
public final class RawArchiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RawArchiver.class);

    private final ArchiveConfig config;
    private final RawArchive archive;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong archived = new AtomicLong();
    private volatile Throwable failure;
    private final Map<Integer, List<RawArchive.Entry>> buffer = new TreeMap<>();
    private int buffered;

    private RawArchiver(ArchiveConfig config) {
        this.config = config;
        this.archive = RawArchive.of(config);
        archive.ensureBucket();
        this.consumer = new KafkaConsumer<>(config.kafka().consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, config.groupId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "raw-archiver");
    }

    public static RawArchiver start(ArchiveConfig config) {
        RawArchiver a = new RawArchiver(config);
        // partitions taken away are archived and committed first, so nothing buffered is lost or doubled
        a.consumer.subscribe(List.of(Topics.TELEMETRY_RAW.name()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
                if (a.buffered > 0) {
                    a.flush();
                }
            }

            @Override
            public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
            }
        });
        a.thread.start();
        LOG.info("event=archiver_started bucket={} endpoint={}", config.bucket(), config.endpoint());
        return a;
    }

    /** Records written to the archive and committed since start. */
    public long archived() {
        return archived.get();
    }

    /** Running: its loop has not stopped on an error. */
    public boolean live() {
        return failure == null && thread.isAlive();
    }

    private void run() {
        long oldest = 0;
        try {
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (buffered == 0) {
                        oldest = System.nanoTime();
                    }
                    buffer.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(RawArchive.entry(r.partition(),
                            r.offset(), r.timestamp(), r.key(), r.value(), r.headers()));
                    buffered++;
                }
                if (buffered > 0 && (buffered >= config.maxRecords()
                        || System.nanoTime() - oldest >= config.flushInterval().toNanos())) {
                    flush();
                }
            }
            if (buffered > 0) {
                flush();
            }
        } catch (WakeupException stopping) {
            if (buffered > 0 && failure == null) {
                try {
                    flush();
                } catch (RuntimeException e) {
                    LOG.warn("event=archiver_flush_failed reason=\"{}\"", e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("event=archiver_failed reason=\"{}\"", e.getMessage());
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void flush() {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        long n = 0;
        for (Map.Entry<Integer, List<RawArchive.Entry>> e : buffer.entrySet()) {
            List<RawArchive.Entry> records = e.getValue();
            if (records.isEmpty()) {
                continue;
            }
            for (List<RawArchive.Entry> hour : RawArchive.byHour(records)) {
                archive.write(hour);
            }
            commit.put(new TopicPartition(Topics.TELEMETRY_RAW.name(), e.getKey()),
                    new OffsetAndMetadata(records.get(records.size() - 1).offset() + 1));
            n += records.size();
        }
        consumer.commitSync(commit);
        buffer.clear();
        buffered = 0;
        archived.addAndGet(n);
        LOG.info("event=archive_written records={} partitions={}", n, commit.size());
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("event=archiver_stopped archived={}", archived.get());
    }
}
