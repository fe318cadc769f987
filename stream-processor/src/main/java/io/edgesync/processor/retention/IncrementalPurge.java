package io.edgesync.processor.retention;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Deletes expired entries of a key-value store a bounded slice at a time: each {@link #step}
 * examines at most {@code maxPerStep} entries, starting after the key where the previous step
 * stopped, and wraps to the first key after the last. The deletes of one step (and their changelog
 * records) belong to one exactly-once transaction, so its size is bounded whatever the size of the
 * store: a store of millions of identities is swept over many steps, never in one transaction.
 * Where a pass stands is kept in memory only: after a restart or rebalance the next pass starts
 * from the first key, which only delays a delete.
 */
public final class IncrementalPurge<V> {
    /** What one step did. */
    public record Step(int examined, int deleted, boolean passCompleted) {
    }

    private final KeyValueStore<String, V> store;
    private final int maxPerStep;
    private String resumeAfter;

    public IncrementalPurge(KeyValueStore<String, V> store, int maxPerStep) {
        this.store = Objects.requireNonNull(store);
        if (maxPerStep < 1) {
            throw new IllegalArgumentException("maxPerStep must be >= 1");
        }
        this.maxPerStep = maxPerStep;
    }

    /** Examines the next slice and deletes the entries {@code isExpired} holds for. */
    public Step step(Predicate<V> isExpired) {
        List<String> doomed = new ArrayList<>();
        int examined = 0;
        String last = null;
        boolean reachedEnd = true;
        try (KeyValueIterator<String, V> it = resumeAfter == null ? store.all() : store.range(resumeAfter, null)) {
            while (it.hasNext()) {
                KeyValue<String, V> e = it.next();
                if (e.key.equals(resumeAfter)) {
                    continue;
                }
                if (examined == maxPerStep) {
                    reachedEnd = false;
                    break;
                }
                examined++;
                last = e.key;
                if (isExpired.test(e.value)) {
                    doomed.add(e.key);
                }
            }
        }
        doomed.forEach(store::delete);
        resumeAfter = reachedEnd ? null : last;
        return new Step(examined, doomed.size(), reachedEnd);
    }
}
