package io.edgesync.agent.store;

import io.edgesync.shared.model.TelemetryRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for the local store: writers that arrive while a commit is under way queue their
 * records, and the next writer to take the commit lock writes every queued write in one
 * transaction (one fsync for all of them). Each write stays all or none and each writer returns
 * only once the transaction holding its records has committed, so a returned write is as durable
 * as {@link StoreOptions#durability()} makes a single insert. If a group fails (a store full under
 * reject-new, an I/O error), its writes are retried one by one, so one writer's failure is never
 * another's.
 */
public final class GroupCommit {
    /** At most this many records per transaction; a write larger than that is a group of its own. */
    static final int MAX_GROUP_RECORDS = 20_000;

    private final LocalStore store;
    private final ConcurrentLinkedQueue<Write> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock commitLock = new ReentrantLock();
    private final AtomicLong commits = new AtomicLong();

    public GroupCommit(LocalStore store) {
        this.store = Objects.requireNonNull(store);
    }

    /**
     * Stores the records as {@link LocalStore#insert} does, sharing the transaction with concurrent writers;
     * returns the number of new records once they are committed.
     */
    public int insert(List<TelemetryRecord> records) {
        Write write = new Write(List.copyOf(records));
        queue.add(write);
        commitLock.lock();
        try {
            while (!write.done) {
                commitNextGroup();
            }
        } finally {
            commitLock.unlock();
        }
        if (write.failure != null) {
            throw write.failure;
        }
        return write.inserted;
    }

    /** Transactions that stored a group (one or more writes). */
    public long commits() {
        return commits.get();
    }

    /** Writes waiting for a commit; tests use it to know writers are queued. */
    int queued() {
        return queue.size();
    }

    /** Whether a writer holds the commit lock (tests). */
    boolean committing() {
        return commitLock.isLocked();
    }

    private void commitNextGroup() {
        List<Write> group = new ArrayList<>();
        int size = 0;
        for (Write next = queue.peek(); next != null && (group.isEmpty() || size + next.records.size()
                <= MAX_GROUP_RECORDS); next = queue.peek()) {
            group.add(queue.poll());
            size += next.records.size();
        }
        try {
            int[] inserted = store.insertAll(group.stream().map(w -> w.records).toList());
            commits.incrementAndGet();
            for (int i = 0; i < group.size(); i++) {
                group.get(i).complete(inserted[i], null);
            }
        } catch (RuntimeException e) {
            for (Write w : group) {
                try {
                    w.complete(group.size() == 1 ? 0 : store.insert(w.records), group.size() == 1 ? e : null);
                } catch (RuntimeException own) {
                    w.complete(0, own);
                }
            }
        }
    }

    /** One writer's records and, once its group has committed or failed, the outcome. */
    private static final class Write {
        final List<TelemetryRecord> records;
        volatile boolean done;
        int inserted;
        RuntimeException failure;

        Write(List<TelemetryRecord> records) {
            this.records = records;
        }

        void complete(int inserted, RuntimeException failure) {
            this.inserted = inserted;
            this.failure = failure;
            this.done = true;
        }
    }
}
