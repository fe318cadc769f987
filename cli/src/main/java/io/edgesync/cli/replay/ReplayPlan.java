package io.edgesync.cli.replay;

import io.edgesync.shared.kafka.KafkaClients;
import io.edgesync.processor.topology.RecordFilter;
import io.edgesync.shared.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a replay reads: for each partition of {@code telemetry.raw} the offsets [start, end) (end fixed
 * when the plan is made, so a replay ends although the live topic grows), and within them only records
 * whose Kafka timestamp is in [from, to) and whose key is one of {@code devices} (empty: every device).
 * For {@code telemetry.raw} the Kafka timestamp is when the gateway wrote the record.
 */
public record ReplayPlan(String name, Map<Integer, Long> start, Map<Integer, Long> end, Instant from, Instant to,
                         Set<String> devices) implements RecordFilter {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,30}");

    public ReplayPlan {
        checkName(name);
        start = Map.copyOf(start);
        end = Map.copyOf(end);
        devices = Set.copyOf(devices);
    }

    /** A replay's name: 1-30 of a-z, 0-9 and _, because it becomes part of topic and table names. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a replay name is 1-30 characters of a-z, 0-9 and _ (it names"
                    + " the shadow table and topics): " + name);
        }
        return name;
    }

    /**
     * Resolves the window against the topic as it is now.
     *
     * @param fromOffsets partition → first offset; a key of -1 applies to every partition; empty: the earliest
     */
    public static ReplayPlan resolve(String bootstrap, String name, Map<Integer, Long> fromOffsets, Instant from,
                                     Instant to, Set<String> devices) {
        return resolve(KafkaClients.of(bootstrap), name, fromOffsets, from, to, devices);
    }

    /** As above, through the Kafka client properties of the configuration (pass-through included). */
    public static ReplayPlan resolve(KafkaClients kafka, String name, Map<Integer, Long> fromOffsets, Instant from,
                                     Instant to, Set<String> devices) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.consumer(Map.of()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.TELEMETRY_RAW.name(), Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + Topics.TELEMETRY_RAW.name() + " does not exist");
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<TopicPartition, Long> earliest = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> latest = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> fromTime = from == null ? Map.of() : offsetsAt(consumer, partitions, from, latest);
            Map<TopicPartition, Long> toTime = to == null ? Map.of() : offsetsAt(consumer, partitions, to, latest);
            Map<Integer, Long> start = new TreeMap<>();
            Map<Integer, Long> end = new TreeMap<>();
            for (TopicPartition tp : partitions) {
                long s = earliest.get(tp);
                Long offset = fromOffsets.getOrDefault(tp.partition(), fromOffsets.get(-1));
                if (offset != null) {
                    s = Math.max(s, offset);
                }
                if (from != null) {
                    s = Math.max(s, fromTime.get(tp));
                }
                long e = to == null ? latest.get(tp) : toTime.get(tp);
                start.put(tp.partition(), Math.min(s, e));
                end.put(tp.partition(), e);
            }
            return new ReplayPlan(name, start, end, from, to, devices);
        }
    }

    private static Map<TopicPartition, Long> offsetsAt(KafkaConsumer<byte[], byte[]> consumer,
                                                       List<TopicPartition> partitions, Instant at,
                                                       Map<TopicPartition, Long> latest) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, at.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(30));
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp o = found.get(tp);
            // no record at or after the time: the partition's end
            out.put(tp, o == null ? latest.get(tp) : o.offset());
        }
        return out;
    }

    /**
     * A window over the archive instead of the topic: any partition, from {@code fromOffsets} (-1: every
     * partition) on, without an end offset; the time range and devices as for the topic.
     */
    public static ReplayPlan forArchive(String name, Map<Integer, Long> fromOffsets, Instant from, Instant to,
                                        Set<String> devices) {
        return new ReplayPlan(name, fromOffsets, Map.of(), from, to, devices);
    }

    /** Whether this plan reads the archive ({@link #forArchive}): no end offsets. */
    public boolean archive() {
        return end.isEmpty();
    }

    /** Offsets in the window (an upper bound of the records replayed: the time and device filters skip some). */
    public long records() {
        return start.keySet().stream().mapToLong(p -> end.get(p) - start.get(p)).sum();
    }

    @Override
    public boolean admits(int partition, long offset, long timestamp, byte[] key) {
        if (archive()) {
            Long s = start.getOrDefault(partition, start.get(-1));
            if (s != null && offset < s) {
                return false;
            }
        } else {
            Long s = start.get(partition);
            if (s == null || offset < s || offset >= end.get(partition)) {
                return false;
            }
        }
        if (from != null && timestamp < from.toEpochMilli()) {
            return false;
        }
        if (to != null && timestamp >= to.toEpochMilli()) {
            return false;
        }
        return devices.isEmpty() || (key != null && devices.contains(new String(key, StandardCharsets.UTF_8)));
    }

    public String applicationId() {
        return "edgesync-replay-" + name;
    }

    public String cleanTopic() {
        return "replay." + name + "." + Topics.TELEMETRY_CLEAN.name();
    }

    public String conflictsTopic() {
        return "replay." + name + "." + Topics.TELEMETRY_CONFLICTS.name();
    }

    public String dlqTopic() {
        return "replay." + name + "." + Topics.TELEMETRY_DLQ.name();
    }

    /** The topic a replay from the archive loads the archived records into, then replays. */
    public String stagingTopic() {
        return "replay." + name + ".source";
    }

    public String table() {
        return "telemetry_data_replay_" + name;
    }

    public String conflictTable() {
        return "conflict_log_replay_" + name;
    }
}
