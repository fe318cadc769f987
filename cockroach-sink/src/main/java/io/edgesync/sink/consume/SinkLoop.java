package io.edgesync.sink.consume;

import io.edgesync.sink.dlq.DeadLetters;
import io.edgesync.sink.retry.Backoff;
import io.edgesync.sink.retry.DbFailure;
import io.edgesync.sink.store.BisectingWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's consumer thread. Collects records into a batch (up to {@code batchRows} or
 * {@code linger}), writes it in one transaction, sends refused records to the DLQ, and only then
 * commits the offsets. While the database is unavailable the partitions are paused and the
 * consumer keeps polling (so it stays in its group) between attempts with backoff. On revocation
 * the batch is flushed and committed first; if that fails, the revoked partitions' records are
 * forgotten (uncommitted, so their next owner reads them again).
 */
public final class SinkLoop implements Runnable, ConsumerRebalanceListener {
    private static final Logger LOG = LoggerFactory.getLogger(SinkLoop.class);
    private static final Duration PAUSED_POLL = Duration.ofMillis(200);

    private final Consumer<byte[], byte[]> consumer;
    private final BisectingWriter writer;
    private final DeadLetters deadLetters;
    private final RecordDecoder decoder = new RecordDecoder();
    private final int batchRows;
    private final Duration linger;
    private final Backoff backoff;
    private final SinkCounters counters;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final PendingBatch pending = new PendingBatch();

    public SinkLoop(Consumer<byte[], byte[]> consumer, BisectingWriter writer, DeadLetters deadLetters, int batchRows,
                    Duration linger, Backoff backoff, SinkCounters counters) {
        this.consumer = Objects.requireNonNull(consumer);
        this.writer = Objects.requireNonNull(writer);
        this.deadLetters = Objects.requireNonNull(deadLetters);
        this.batchRows = batchRows;
        this.linger = Objects.requireNonNull(linger);
        this.backoff = Objects.requireNonNull(backoff);
        this.counters = Objects.requireNonNull(counters);
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(RecordDecoder.TOPICS, this);
            while (running.get()) {
                accept(consumer.poll(nextPollTimeout()));
                if (batchDue()) {
                    flushUntilDone();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        }
        try {
            if (!pending.isEmpty() && !counters.paused()) {
                flushOnce(true);
            }
        } catch (WakeupException e) {
            LOG.info("event=sink_final_flush_interrupted");
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Stops after the current step; what is written is committed, the rest is read again later. */
    public void stop() {
        running.set(false);
        consumer.wakeup();
    }

    private Duration nextPollTimeout() {
        if (pending.isEmpty()) {
            return linger;
        }
        long left = linger.toNanos() - (System.nanoTime() - pending.startedNanos());
        return Duration.ofNanos(Math.max(left, Duration.ofMillis(1).toNanos()));
    }

    private boolean batchDue() {
        return !pending.isEmpty() && (pending.size() >= batchRows
                || System.nanoTime() - pending.startedNanos() >= linger.toNanos());
    }

    private void accept(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        long now = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            pending.add(new TopicPartition(r.topic(), r.partition()), r.offset(), decoder.decode(r), now);
        }
    }

    private void flushUntilDone() {
        int attempt = 0;
        while (!pending.isEmpty() && running.get()) {
            if (flushOnce(false)) {
                break;
            }
            attempt++;
            pause();
            pollWhilePaused(backoff.delay(attempt));
        }
        resume();
    }

    /** One attempt to write, dead-letter and commit the pending batch; false when it must be retried. */
    private boolean flushOnce(boolean syncCommit) {
        try {
            BisectingWriter.Outcome outcome = writer.write(pending.rows());
            List<DeadLetters.Letter> letters = new ArrayList<>(pending.letters());
            letters.addAll(outcome.rejected());
            if (!letters.isEmpty()) {
                deadLetters.send(letters);
                letters.forEach(l -> LOG.warn("event=dead_letter origin={} reason={} sqlstate={}", l.origin(),
                        l.reason().code(), l.sqlState()));
            }
            commit(pending.offsets(), syncCommit);
            counters.recordsCommitted.addAndGet(pending.size());
            counters.rowsChanged.addAndGet(outcome.changed());
            counters.batchesCommitted.incrementAndGet();
            counters.deadLetters.addAndGet(letters.size());
            pending.clear();
            return true;
        } catch (SQLException e) {
            counters.failedAttempts.incrementAndGet();
            LOG.warn("event=batch_write_failed rows={} failure={} sqlstate={}", pending.size(), DbFailure.of(e),
                    DbFailure.sqlState(e));
            return false;
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            counters.failedAttempts.incrementAndGet();
            LOG.warn("event=dead_letter_failed error={}", e.getClass().getSimpleName());
            return false;
        }
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets, boolean sync) {
        try {
            if (sync) {
                consumer.commitSync(offsets);
            } else {
                consumer.commitAsync(offsets, (o, e) -> {
                    if (e != null) {
                        LOG.info("event=offset_commit_failed error={}", e.getClass().getSimpleName());
                    }
                });
            }
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // the database has the rows; whoever reads them again writes nothing new
            LOG.info("event=offset_commit_failed error={}", e.getClass().getSimpleName());
        }
    }

    private void pause() {
        if (counters.paused.compareAndSet(false, true)) {
            consumer.pause(consumer.assignment());
            counters.pauses.incrementAndGet();
            LOG.warn("event=sink_paused pending={}", pending.size());
        }
    }

    private void resume() {
        if (counters.paused.compareAndSet(true, false)) {
            consumer.resume(consumer.paused());
            LOG.info("event=sink_resumed");
        }
    }

    private void pollWhilePaused(Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        while (running.get() && System.nanoTime() < end) {
            long left = Math.max(end - System.nanoTime(), 0);
            accept(consumer.poll(Duration.ofNanos(Math.min(left, PAUSED_POLL.toNanos()))));
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (pending.touches(partitions) && !flushOnce(true)) {
            pending.drop(partitions);
            LOG.info("event=revoked_uncommitted partitions={}", partitions.size());
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        counters.assignments.incrementAndGet();
        if (counters.paused()) {
            consumer.pause(partitions);
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        pending.drop(partitions);
    }
}
