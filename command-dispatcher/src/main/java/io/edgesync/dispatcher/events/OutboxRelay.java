package io.edgesync.dispatcher.events;

import io.edgesync.shared.db.Transactions;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the rows of {@code event_outbox} oldest first and deletes each once Kafka has
 * acknowledged it. It runs when {@linkplain #nudge nudged} after a commit, and every
 * {@code sweep} for rows another instance left behind (it crashed between commit and publish).
 * While Kafka or the database is unavailable it retries with backoff (up to {@link #MAX_BACKOFF}),
 * so a committed change reaches its topic once both are back, with no client retry. A row may be
 * published twice (a relay of another instance, a delete that failed): readers of
 * {@code device.registry} keep only newer entries, and audit events carry their id.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    private static final int BATCH = 500;
    private static final int RECENT = 4096;
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    /** Where rows go: Kafka in production. */
    @FunctionalInterface
    public interface Sender {
        Future<RecordMetadata> send(String topic, String key, byte[] value);
    }

    private record Row(UUID id, String topic, String key, String payload) {
    }

    private final Transactions tx;
    private final Sender sender;
    private final Duration sweep;
    private final Semaphore wake = new Semaphore(0);
    private final Map<UUID, CompletableFuture<Void>> waiting = new HashMap<>();
    private final Map<UUID, Boolean> recent = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
            return size() > RECENT;
        }
    };
    private final Thread thread;
    private volatile boolean running = true;

    public OutboxRelay(Transactions tx, Sender sender, Duration sweep) {
        this.tx = Objects.requireNonNull(tx);
        this.sender = Objects.requireNonNull(sender);
        this.sweep = Objects.requireNonNull(sweep);
        this.thread = new Thread(this::run, "dispatcher-outbox");
        this.thread.setDaemon(true);
    }

    public OutboxRelay start() {
        thread.start();
        return this;
    }

    /** Rows were committed: publish them now. */
    public void nudge() {
        wake.release();
    }

    /** Nudges, then waits up to {@code max} until the row is published; false when it is not yet. */
    public boolean awaitPublished(UUID id, Duration max) {
        CompletableFuture<Void> f;
        synchronized (this) {
            if (recent.containsKey(id)) {
                return true;
            }
            f = waiting.computeIfAbsent(id, k -> new CompletableFuture<>());
        }
        nudge();
        try {
            f.get(max.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        } finally {
            synchronized (this) {
                waiting.remove(id);
            }
        }
    }

    private void run() {
        int failures = 0;
        while (running) {
            try {
                int published = relayOnce();
                failures = 0;
                if (published == BATCH) {
                    continue;
                }
                wake.tryAcquire(sweep.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failures++;
                long backoff = Math.min(MAX_BACKOFF.toMillis(), 50L << Math.min(failures, 10));
                if (failures == 1 || failures % 20 == 0) {
                    LOG.warn("event=outbox_relay_failed attempts={} reason={}", failures, e.getClass().getSimpleName());
                }
                try {
                    wake.tryAcquire(backoff, TimeUnit.MILLISECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One batch: read, send all, wait for the acknowledgements, delete. @return rows published */
    int relayOnce() throws SQLException, InterruptedException, ExecutionException, TimeoutException {
        List<Row> rows = tx.inTransaction(c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(Outbox.SQL.get("oldest"))) {
                ps.setInt(1, BATCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                                rs.getString(4)));
                    }
                }
            }
            return out;
        });
        if (rows.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        for (Row r : rows) {
            acks.add(sender.send(r.topic(), r.key(), r.payload().getBytes(StandardCharsets.UTF_8)));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        tx.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(Outbox.SQL.get("delete"))) {
                for (Row r : rows) {
                    ps.setObject(1, r.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
        synchronized (this) {
            for (Row r : rows) {
                recent.put(r.id(), Boolean.TRUE);
                CompletableFuture<Void> f = waiting.get(r.id());
                if (f != null) {
                    f.complete(null);
                }
            }
        }
        return rows.size();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
