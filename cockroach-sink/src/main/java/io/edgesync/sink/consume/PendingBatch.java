package io.edgesync.sink.consume;

import io.edgesync.sink.dlq.DeadLetters;
import io.edgesync.sink.store.SinkRow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Records consumed since the last commit: rows to write, letters to send, offsets to commit after. */
final class PendingBatch {
    private final List<SinkRow> rows = new ArrayList<>();
    private final List<DeadLetters.Letter> letters = new ArrayList<>();
    private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
    private long startedNanos;

    void add(TopicPartition tp, long offset, RecordDecoder.Decoded decoded, long nowNanos) {
        if (isEmpty()) {
            startedNanos = nowNanos;
        }
        if (decoded.row() != null) {
            rows.add(decoded.row());
        }
        if (decoded.letter() != null) {
            letters.add(decoded.letter());
        }
        nextOffsets.merge(tp, offset + 1, Math::max);
    }

    boolean isEmpty() {
        return nextOffsets.isEmpty();
    }

    int size() {
        return rows.size() + letters.size();
    }

    long startedNanos() {
        return startedNanos;
    }

    List<SinkRow> rows() {
        return List.copyOf(rows);
    }

    List<DeadLetters.Letter> letters() {
        return List.copyOf(letters);
    }

    Map<TopicPartition, OffsetAndMetadata> offsets() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        nextOffsets.forEach((tp, next) -> out.put(tp, new OffsetAndMetadata(next)));
        return out;
    }

    boolean touches(Collection<TopicPartition> partitions) {
        return partitions.stream().anyMatch(nextOffsets::containsKey);
    }

    /** Forgets what came from these partitions (uncommitted, so their next owner reads it again). */
    void drop(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            nextOffsets.remove(tp);
            rows.removeIf(r -> r.origin().topic().equals(tp.topic()) && r.origin().partition() == tp.partition());
            letters.removeIf(l -> l.origin().topic().equals(tp.topic()) && l.origin().partition() == tp.partition());
        }
    }

    /** Takes over everything {@code later} holds (a batch whose write failed absorbs the one behind it). */
    void absorb(PendingBatch later) {
        if (later.isEmpty()) {
            return;
        }
        if (isEmpty()) {
            startedNanos = later.startedNanos;
        }
        rows.addAll(later.rows);
        letters.addAll(later.letters);
        later.nextOffsets.forEach((tp, next) -> nextOffsets.merge(tp, next, Math::max));
    }

    void clear() {
        rows.clear();
        letters.clear();
        nextOffsets.clear();
    }
}
