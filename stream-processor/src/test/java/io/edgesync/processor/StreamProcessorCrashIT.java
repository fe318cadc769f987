package io.edgesync.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.ConflictRecord;
import io.edgesync.shared.model.DeviceSyncStats;
import io.edgesync.shared.model.TelemetryRecord;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.ChildJvm;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.KafkaTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The processor in a child JVM is killed with SIGKILL in the middle of a stream and restarted on
 * the same state directory: every expected record is in telemetry.clean exactly once, every
 * conflict in telemetry.conflicts exactly once, and the per-device totals are exact.
 */
class StreamProcessorCrashIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    private static final String APP_ID = "crash-it";
    private static final int IDENTITIES = 6_000;
    private static final int DEVICES = 20;
    private static final Duration LONG = Duration.ofMinutes(3);

    private final List<ChildJvm> children = new ArrayList<>();
    private Path stateDir;

    @AfterEach
    void stopChildren() {
        children.forEach(ChildJvm::close);
        if (!children.isEmpty()) {
            TempDirs.deleteRecursively(children.get(0).log());
        }
        TempDirs.deleteRecursively(stateDir);
    }

    @Test
    void killedMidStreamAndRestartedWritesEveryRecordExactlyOnce() throws Exception {
        stateDir = TempDirs.create("crash-state-");
        List<TelemetryRecord> firstHalf = new ArrayList<>();
        List<TelemetryRecord> secondHalf = new ArrayList<>();
        Map<String, TelemetryRecord> expectedClean = new HashMap<>();
        Map<String, TelemetryRecord> expectedConflicts = new HashMap<>();
        for (int i = 0; i < IDENTITIES; i++) {
            TelemetryRecord v1 = reading(i, 1, i);
            firstHalf.add(v1);
            expectedClean.put(key(v1), v1);
        }
        for (int i = 0; i < IDENTITIES; i++) {
            secondHalf.add(reading(i, 1, i));
            if (i % 3 == 0) {
                TelemetryRecord v2 = reading(i, 2, i + 0.5);
                secondHalf.add(v2);
                expectedClean.put(key(v2), v2);
            }
            if (i % 6 == 0) {
                TelemetryRecord stale = reading(i, 1, i + 0.25);
                secondHalf.add(stale);
                expectedConflicts.put(key(stale), stale);
            }
        }

        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, firstHalf);
            ChildJvm first = start(1);
            Await.until(LONG, () -> uncommittedCount(Topics.TELEMETRY_CLEAN.name()), n -> n >= 1_000,
                    "the first processor writing to telemetry.clean");

            // more input flows while the first processor works through its backlog; it is killed after the
            // first 1,000 records of the second half are in, and the rest arrive while it is down
            long committedAtKill = -1;
            for (int from = 0; from < secondHalf.size(); from += 500) {
                send(producer, secondHalf.subList(from, Math.min(from + 500, secondHalf.size())));
                if (from == 500) {
                    first.kill();
                    committedAtKill = KafkaTopics.readAll(KAFKA.bootstrapServers(),
                            Topics.TELEMETRY_CLEAN.name()).size();
                }
            }
            assertTrue(committedAtKill >= 0 && committedAtKill < expectedClean.size(),
                    "the kill was not mid-stream: " + committedAtKill + " of " + expectedClean.size() + " done");

            start(2);
            Await.until(LONG, () -> KafkaTopics.caughtUp(KAFKA.bootstrapServers(), APP_ID,
                    Topics.TELEMETRY_RAW.name()), done -> done, "the restarted processor consuming all input");
        }

        Map<String, Long> clean = countByKey(Topics.TELEMETRY_CLEAN.name(), TelemetryRecord.class, this::key);
        assertEquals(expectedClean.size(), clean.size(), "distinct records in telemetry.clean");
        assertEquals(expectedClean.keySet(), clean.keySet());
        assertEquals(Map.of(), duplicated(clean), "records in telemetry.clean more than once");

        Map<String, Long> conflicts = countByKey(Topics.TELEMETRY_CONFLICTS.name(), ConflictRecord.class,
                c -> key(c.incoming()));
        assertEquals(expectedConflicts.keySet(), conflicts.keySet());
        assertEquals(Map.of(), duplicated(conflicts), "conflicts logged more than once");
        assertEquals(0, KafkaTopics.readAll(KAFKA.bootstrapServers(), Topics.TELEMETRY_DLQ.name()).size());

        // totals live in the state store: exact after the crash only if state and output commit together
        Await.until(LONG, this::latestStatsTotals, t -> t.equals(List.of((long) expectedClean.size(),
                (long) IDENTITIES, (long) expectedConflicts.size())), "device.sync-stats totals "
                + "(accepted, duplicates, conflicts)");

        assertTrue(transactionalIds().stream().anyMatch(id -> id.startsWith(APP_ID)),
                "the processor writes with transactions (exactly_once_v2): " + transactionalIds());
        long inLog = readUncommitted(Topics.TELEMETRY_CLEAN.name());
        System.out.println("event=crash_it_done clean_committed=" + clean.size() + " clean_read_uncommitted="
                + inLog + " aborted_writes_of_killed_processor=" + (inLog - clean.size()));
        assertTrue(inLog >= clean.size());
    }

    /** The {@code n}th processor JVM on the same state directory, running (its output: one log for all). */
    private ChildJvm start(int n) {
        ChildJvm child = ChildJvm.start("processor-" + n, stateDir.resolveSibling(stateDir.getFileName() + ".log"),
                "384m", ProcessorChild.class, KAFKA.bootstrapServers(), APP_ID, stateDir.toString());
        children.add(child);
        child.awaitOutput(ProcessorChild.RUNNING, n, LONG);
        return child;
    }

    private static TelemetryRecord reading(int i, int version, double value) {
        return new TelemetryRecord("r-" + i, "dev-" + (i % DEVICES), "temp", 1_000L + i, "temperature", value,
                "C", null, version, 2_000L + i, "b-" + i);
    }

    private String key(TelemetryRecord r) {
        return r.deviceId() + "/" + r.id() + "/v" + r.version() + "/" + r.value();
    }

    /**
     * Writes the records in one transaction, again after an abort: the input is then exactly the
     * records, even when the broker refuses a batch under load (an idempotent producer's failed
     * send would silently leave one out, and the totals below could never match).
     */
    private static void send(KafkaProducer<String, byte[]> producer, List<TelemetryRecord> records) {
        for (int attempt = 1; ; attempt++) {
            try {
                producer.beginTransaction();
                for (TelemetryRecord r : records) {
                    producer.send(new ProducerRecord<>(Topics.TELEMETRY_RAW.name(), r.deviceId(), Json.toBytes(r)));
                }
                producer.commitTransaction();
                return;
            } catch (KafkaException e) {
                producer.abortTransaction();
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private <T> Map<String, Long> countByKey(String topic, Class<T> type, Function<T, String> key) {
        return KafkaTopics.readAll(KAFKA.bootstrapServers(), topic).stream()
                .map(r -> key.apply(Json.fromBytes(r.value(), type)))
                .collect(Collectors.groupingBy(k -> k, Collectors.counting()));
    }

    private static Map<String, Long> duplicated(Map<String, Long> counts) {
        return counts.entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private List<Long> latestStatsTotals() {
        Map<String, DeviceSyncStats> latest = new HashMap<>();
        KafkaTopics.forEach(KAFKA.bootstrapServers(), Topics.DEVICE_SYNC_STATS.name(),
                r -> latest.put(new String(r.key()), Json.fromBytes(r.value(), DeviceSyncStats.class)));
        return List.of(latest.values().stream().mapToLong(DeviceSyncStats::recordsAccepted).sum(),
                latest.values().stream().mapToLong(DeviceSyncStats::duplicatesDropped).sum(),
                latest.values().stream().mapToLong(DeviceSyncStats::conflicts).sum());
    }

    /** Records in the log, aborted ones included (read_uncommitted end offsets). */
    private static long uncommittedCount(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Records a read_uncommitted reader sees: committed ones and those of aborted transactions. */
    private static long readUncommitted(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long count = 0;
            long deadline = System.nanoTime() + LONG.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertTrue(System.nanoTime() < deadline, "could not read " + topic + " to its end");
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    private static List<String> transactionalIds() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KAFKA.bootstrapServers()))) {
            return admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                    .map(TransactionListing::transactionalId).toList();
        }
    }

    private static KafkaProducer<String, byte[]> producer() {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-input-writer"),
                new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }
}
