package io.edgesync.sink.consume;

import io.edgesync.sink.dlq.DeadLetters;
import io.edgesync.sink.retry.Backoff;
import io.edgesync.sink.retry.DbFailure;
import io.edgesync.sink.store.BisectingWriter;
import io.edgesync.sink.store.SinkRow;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * The sink's consumer thread. Collects records into a batch (exactly {@code batchRows}, or fewer
 * once the first has waited {@code linger}) and hands it to a writer thread, which writes it in one
 * transaction and sends refused records to the DLQ, while this thread reads the next batch. One
 * batch at most is in flight; its offsets are committed (here, the consumer's thread) only after its
 * database commit, and before the next batch is handed over.
 *
 * <p>When a write fails (database unavailable, retries exhausted, DLQ unavailable) the failed batch
 * absorbs the one behind it and is retried here with backoff while the partitions are paused and
 * the consumer keeps polling, so it stays in its group. On revocation the in-flight batch is
 * settled and the rest flushed and committed first; what cannot be written then is forgotten for
 * the revoked partitions (uncommitted, so their next owner reads it again).
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
    private final java.util.function.Consumer<List<SinkRow>> onCommitted;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService writerThread = Executors.newSingleThreadExecutor(r -> new Thread(r,
            "cockroach-sink-writer"));

    private PendingBatch pending = new PendingBatch();
    private PendingBatch writing;
    private Future<Integer> inFlight;

    public SinkLoop(Consumer<byte[], byte[]> consumer, BisectingWriter writer, DeadLetters deadLetters, int batchRows,
                    Duration linger, Backoff backoff, SinkCounters counters) {
        this(consumer, writer, deadLetters, batchRows, linger, backoff, counters, rows -> { });
    }

    /** As above; {@code onCommitted} is told the rows of every batch whose database commit succeeded. */
    public SinkLoop(Consumer<byte[], byte[]> consumer, BisectingWriter writer, DeadLetters deadLetters, int batchRows,
                    Duration linger, Backoff backoff, SinkCounters counters,
                    java.util.function.Consumer<List<SinkRow>> onCommitted) {
        this.consumer = Objects.requireNonNull(consumer);
        this.writer = Objects.requireNonNull(writer);
        this.deadLetters = Objects.requireNonNull(deadLetters);
        this.batchRows = batchRows;
        this.linger = Objects.requireNonNull(linger);
        this.backoff = Objects.requireNonNull(backoff);
        this.counters = Objects.requireNonNull(counters);
        this.onCommitted = Objects.requireNonNull(onCommitted);
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(RecordDecoder.TOPICS, this);
            while (running.get()) {
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(nextPollTimeout())) {
                    add(r, now);
                    if (pending.size() >= batchRows) {
                        handOver();
                    }
                }
                if (lingered()) {
                    handOver();
                } else if (inFlight != null && inFlight.isDone() && !settle(false)) {
                    // the write failed: retry here, paused and backing off, until it commits
                    flushUntilDone();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        }
        try {
            settle(true);
            if (!pending.isEmpty() && !counters.paused()) {
                flushOnce(true);
            }
        } catch (WakeupException e) {
            LOG.info("event=sink_final_flush_interrupted");
        } finally {
            writerThread.shutdownNow();
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

    private boolean lingered() {
        return !pending.isEmpty() && System.nanoTime() - pending.startedNanos() >= linger.toNanos();
    }

    private void add(ConsumerRecord<byte[], byte[]> r, long now) {
        pending.add(new TopicPartition(r.topic(), r.partition()), r.offset(), decoder.decode(r), now);
    }

    /** Settles the batch in flight, then hands the pending one to the writer thread. */
    private void handOver() {
        if (!settle(false)) {
            flushUntilDone();
            return;
        }
        PendingBatch batch = pending;
        pending = new PendingBatch();
        writing = batch;
        inFlight = writerThread.submit(() -> writeAndDeadLetter(batch));
    }

    /**
     * Waits for the batch in flight. Committed: its offsets are committed. Failed: it absorbs the
     * pending batch, to be retried together. Returns false only in the second case.
     */
    private boolean settle(boolean syncCommit) {
        if (inFlight == null) {
            return true;
        }
        PendingBatch batch = writing;
        try {
            int written = inFlight.get();
            committed(batch, written, syncCommit);
            return true;
        } catch (ExecutionException e) {
            failed(e.getCause(), batch.size());
            batch.absorb(pending);
            pending = batch;
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            batch.absorb(pending);
            pending = batch;
            return false;
        } finally {
            inFlight = null;
            writing = null;
        }
    }

    /** Writes the pending batch here, retrying with backoff (partitions paused) until it commits or we stop. */
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

    /** One attempt to write, dead-letter and commit the pending batch on this thread. */
    private boolean flushOnce(boolean syncCommit) {
        try {
            int written = writeAndDeadLetter(pending);
            committed(pending, written, syncCommit);
            pending = new PendingBatch();
            return true;
        } catch (WakeupException e) {
            throw e;
        } catch (SQLException | KafkaException e) {
            failed(e, pending.size());
            return false;
        }
    }

    /** Database transaction(s), then the DLQ; runs on the writer thread or, when retrying, on this one. */
    private int writeAndDeadLetter(PendingBatch batch) throws SQLException {
        BisectingWriter.Outcome outcome = writer.write(batch.rows());
        List<DeadLetters.Letter> letters = new ArrayList<>(batch.letters());
        letters.addAll(outcome.rejected());
        if (!letters.isEmpty()) {
            deadLetters.send(letters);
            letters.forEach(l -> LOG.warn("event=dead_letter origin={} reason={} sqlstate={}", l.origin(),
                    l.reason().code(), l.sqlState()));
            letters.forEach(l -> counters.deadLettered(l.reason()));
        }
        return outcome.written();
    }

    private void committed(PendingBatch batch, int written, boolean syncCommit) {
        onCommitted.accept(batch.rows());
        commit(batch.offsets(), syncCommit);
        counters.recordsCommitted.addAndGet(batch.size());
        counters.rowsWritten.addAndGet(written);
        counters.batchesCommitted.incrementAndGet();
    }

    private void failed(Throwable e, int size) {
        counters.failedAttempts.incrementAndGet();
        if (e instanceof SQLException s) {
            LOG.warn("event=batch_write_failed rows={} failure={} sqlstate={}", size, DbFailure.of(s),
                    DbFailure.sqlState(s));
        } else {
            LOG.warn("event=batch_write_failed rows={} error={}", size, e.getClass().getSimpleName());
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
            // paused partitions return nothing; a partition assigned meanwhile is paused on assignment
            long now = System.nanoTime();
            consumer.poll(Duration.ofNanos(Math.min(left, PAUSED_POLL.toNanos()))).forEach(r -> add(r, now));
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        settle(true);
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
        settle(false);
        pending.drop(partitions);
    }
}
