package io.edgesync.cli.replay;

import io.edgesync.processor.ProcessorConfig;
import io.edgesync.processor.ReplayProcessor;
import io.edgesync.processor.topology.OutputTopics;
import io.edgesync.processor.topology.TelemetryTopology;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.db.Transactions;
import io.edgesync.shared.kafka.KafkaClients;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.ConflictRecord;
import io.edgesync.shared.model.TelemetryRecord;
import io.edgesync.sink.archive.RawArchive;
import io.edgesync.sink.store.ConflictWriter;
import io.edgesync.sink.store.TelemetryWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Runs a {@link ReplayPlan}: the processor's decisions in an isolated application
 * ({@link ReplayProcessor}, application id {@code edgesync-replay-<name>}) from the plan's offsets into
 * the shadow topics {@code replay.<name>.telemetry.*}, and those into the shadow tables, until every
 * partition reached the plan's end. Live topics, consumer groups and tables are only read.
 */
public final class Replay {
    /** What one run did. */
    public record Summary(long offsets, long rowsWritten, long conflictsWritten, double seconds) {
        public double recordsPerSecond() {
            return seconds <= 0 ? 0 : offsets / seconds;
        }
    }

    private final KafkaClients kafka;
    private final DataSource db;
    private final PrintStream progress;

    public Replay(String bootstrap, DataSource db, PrintStream progress) {
        this(KafkaClients.of(bootstrap), db, progress);
    }

    /** @param kafka the Kafka client properties of the processor's configuration (pass-through included) */
    public Replay(KafkaClients kafka, DataSource db, PrintStream progress) {
        this.kafka = kafka;
        this.db = db;
        this.progress = progress;
    }

    /** Whether anything of a replay of this name exists (its consumer group, topics or tables). */
    public boolean exists(ReplayPlan plan) throws SQLException {
        try (Admin admin = admin()) {
            Set<String> topics = admin.listTopics().names().get();
            return ShadowTables.exist(db, plan) || topics.contains(plan.cleanTopic()) || committed(admin, plan) != null;
        } catch (InterruptedException | ExecutionException e) {
            throw kafka(e);
        }
    }

    public Summary run(ReplayPlan plan, UnaryOperator<TelemetryRecord> rule) throws SQLException {
        return run(plan, Topics.TELEMETRY_RAW.name(), rule, System.nanoTime());
    }

    /**
     * Replays from the archive: the archived records the plan admits are first copied, in order, to the
     * staging topic {@code replay.<name>.source} (same partition, key, value, headers and timestamp), which
     * the replay then reads as it would read {@code telemetry.raw}.
     */
    public Summary runFromArchive(ReplayPlan plan, RawArchive archive, UnaryOperator<TelemetryRecord> rule)
            throws SQLException {
        long started = System.nanoTime();
        List<RawArchive.Entry> admitted = archive.read(plan.from(), plan.to()).stream()
                .filter(e -> plan.admits(e.partition(), e.offset(), e.timestamp(), e.key())).toList();
        int partitions;
        try (Admin admin = admin()) {
            partitions = admin.describeTopics(List.of(Topics.TELEMETRY_RAW.name())).allTopicNames().get()
                    .get(Topics.TELEMETRY_RAW.name()).partitions().size();
            for (RawArchive.Entry e : admitted) {
                partitions = Math.max(partitions, e.partition() + 1);
            }
            createTopic(admin, plan.stagingTopic(), partitions);
        } catch (InterruptedException | ExecutionException e) {
            throw kafka(e);
        }
        Map<Integer, Long> start = new java.util.TreeMap<>();
        Map<Integer, Long> end = new java.util.TreeMap<>();
        for (int p = 0; p < partitions; p++) {
            start.put(p, 0L);
            end.put(p, 0L);
        }
        // one request in flight: the staging topic is brand new, and a first batch refused with
        // NOT_LEADER_OR_FOLLOWER must not be overtaken by the next ones (the broker then answers its retry
        // OUT_OF_ORDER_SEQUENCE_NUMBER forever and the replay never ends)
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producer(Map.of(
                "acks", "all", "enable.idempotence", true, "linger.ms", 5,
                "max.in.flight.requests.per.connection", 1)), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (RawArchive.Entry e : admitted) {
                List<org.apache.kafka.common.header.Header> headers = new ArrayList<>();
                e.headers().forEach(h -> headers.add(new RecordHeader(h.getKey(), h.getValue())));
                producer.send(new ProducerRecord<>(plan.stagingTopic(), e.partition(), e.timestamp(), e.key(),
                        e.value(), headers));
                end.merge(e.partition(), 1L, Long::sum);
            }
            producer.flush();
        }
        ReplayPlan staged = new ReplayPlan(plan.name(), start, end, null, null, Set.of());
        return run(staged, plan.stagingTopic(), rule, started);
    }

    private Summary run(ReplayPlan plan, String source, UnaryOperator<TelemetryRecord> rule, long started)
            throws SQLException {
        Path state;
        try {
            state = Files.createTempDirectory("edgesync-replay-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ShadowTables.create(db, plan);
        try (Admin admin = admin()) {
            createTopics(admin, plan);
            Map<TopicPartition, OffsetAndMetadata> begin = new HashMap<>();
            plan.start().forEach((p, o) -> begin.put(new TopicPartition(source, p),
                    new OffsetAndMetadata(o)));
            admin.alterConsumerGroupOffsets(plan.applicationId(), begin).all().get();
            Map<String, String> settings = new HashMap<>(Map.of(
                    "kafka.bootstrap-servers", kafka.bootstrapServers(), "processor.application-id", plan.applicationId(),
                    "processor.state-dir", state.toString(), "processor.port", "-1"));
            kafka.passThrough().forEach((k, v) -> settings.put(KafkaClients.PREFIX + k, v));
            ProcessorConfig config = ProcessorConfig.from(ConfigSource.of(settings));
            TelemetryTopology.Wiring wiring = new TelemetryTopology.Wiring(source, plan, rule,
                    new OutputTopics(plan.cleanTopic(), plan.conflictsTopic(), plan.dlqTopic(), null));
            long[] written = new long[2];
            try (ReplayProcessor processor = ReplayProcessor.start(config, wiring);
                 ShadowWriter writer = new ShadowWriter(plan)) {
                long total = plan.records();
                long lastPrint = 0;
                while (true) {
                    long done = processed(admin, plan, source);
                    writer.drain(Duration.ofMillis(200), written);
                    long now = System.nanoTime();
                    if (done >= total) {
                        break;
                    }
                    if (now - lastPrint > 1_000_000_000L) {
                        printProgress(done, total, (now - started) / 1e9);
                        lastPrint = now;
                    }
                    if (processor.state().hasCompletedShutdown()) {
                        throw new IllegalStateException("the replay's processor stopped: " + processor.state());
                    }
                }
                writer.drainToEnd(written);
            }
            deleteInternalTopics(admin, plan);
            double seconds = (System.nanoTime() - started) / 1e9;
            printProgress(plan.records(), plan.records(), seconds);
            progress.println();
            return new Summary(plan.records(), written[0], written[1], seconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw kafka(e);
        } finally {
            deleteRecursively(state);
        }
    }

    /** Deletes the replay's shadow topics, tables, consumer group and internal topics. */
    public void drop(ReplayPlan plan) throws SQLException {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get();
            List<String> topics = existing.stream().filter(t -> t.startsWith("replay." + plan.name() + ".")
                    || t.startsWith(plan.applicationId() + "-")).toList();
            admin.deleteTopics(topics).all().get();
            try {
                admin.deleteConsumerGroups(List.of(plan.applicationId())).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
            }
        } catch (InterruptedException | ExecutionException e) {
            throw kafka(e);
        }
        ShadowTables.drop(db, plan);
    }

    private void printProgress(long done, long total, double seconds) {
        double rate = seconds <= 0 ? 0 : done / seconds;
        long eta = rate <= 0 ? -1 : Math.round((total - done) / rate);
        int width = 30;
        int filled = total == 0 ? width : (int) (width * done / total);
        progress.printf("\rreplay [%s%s] %,d/%,d offsets %,.0f records/s ETA %s ", "#".repeat(filled),
                ".".repeat(width - filled), done, total, rate, eta < 0 ? "?" : eta + "s");
        progress.flush();
    }

    /** Offsets of the plan the replay's application has committed (read and decided), over all partitions. */
    private static long processed(Admin admin, ReplayPlan plan, String source)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, plan);
        long done = 0;
        for (Map.Entry<Integer, Long> e : plan.start().entrySet()) {
            OffsetAndMetadata o = committed == null ? null
                    : committed.get(new TopicPartition(source, e.getKey()));
            long at = o == null ? e.getValue() : o.offset();
            done += Math.min(at, plan.end().get(e.getKey())) - e.getValue();
        }
        return done;
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, ReplayPlan plan)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> out = admin.listConsumerGroupOffsets(plan.applicationId())
                .partitionsToOffsetAndMetadata().get();
        return out == null || out.isEmpty() ? null : out;
    }

    private static void createTopic(Admin admin, String name, int partitions)
            throws InterruptedException, ExecutionException {
        try {
            admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty()))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static void createTopics(Admin admin, ReplayPlan plan) throws InterruptedException, ExecutionException {
        int partitions = plan.start().size();
        List<NewTopic> topics = new ArrayList<>();
        for (String name : List.of(plan.cleanTopic(), plan.conflictsTopic(), plan.dlqTopic())) {
            topics.add(new NewTopic(name, Optional.of(partitions), Optional.empty()));
        }
        try {
            admin.createTopics(topics).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static void deleteInternalTopics(Admin admin, ReplayPlan plan)
            throws InterruptedException, ExecutionException {
        List<String> internal = admin.listTopics().names().get().stream()
                .filter(t -> t.startsWith(plan.applicationId() + "-")).collect(Collectors.toList());
        admin.deleteTopics(internal).all().get();
    }

    private Admin admin() {
        return Admin.create(kafka.admin(Map.of()));
    }

    private static RuntimeException kafka(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return new IllegalStateException("Kafka: " + cause.getMessage(), cause);
    }

    private static void deleteRecursively(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans it up eventually
        }
    }

    /** Reads the shadow topics read_committed and writes them into the shadow tables, batch by batch. */
    private final class ShadowWriter implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final ReplayPlan plan;
        private final Transactions tx;
        private final Deserializer<TelemetryRecord> records = Topics.TELEMETRY_CLEAN.valueSerde().deserializer();
        private final Deserializer<ConflictRecord> conflicts = Topics.TELEMETRY_CONFLICTS.valueSerde().deserializer();
        private final List<TopicPartition> partitions = new ArrayList<>();

        ShadowWriter(ReplayPlan plan) {
            this.plan = plan;
            this.tx = new Transactions(db);
            this.consumer = new KafkaConsumer<>(kafka.consumer(Map.of(
                    "isolation.level", "read_committed", "auto.offset.reset", "earliest", "max.poll.records", 5000)),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            for (String topic : List.of(plan.cleanTopic(), plan.conflictsTopic())) {
                for (int p = 0; p < plan.start().size(); p++) {
                    partitions.add(new TopicPartition(topic, p));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        void drain(Duration timeout, long[] written) throws SQLException {
            List<TelemetryRecord> rows = new ArrayList<>();
            List<ConflictRecord> logged = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
                if (r.topic().equals(plan.cleanTopic())) {
                    rows.add(records.deserialize(r.topic(), r.value()));
                } else {
                    logged.add(conflicts.deserialize(r.topic(), r.value()));
                }
            }
            if (rows.isEmpty() && logged.isEmpty()) {
                return;
            }
            List<TelemetryRecord> reduced = TelemetryWriter.reduce(rows);
            int inserted = tx.inTransaction(c -> {
                TelemetryWriter.write(c, reduced, plan.table());
                return ConflictWriter.write(c, logged, plan.conflictTable());
            });
            written[0] += reduced.size();
            written[1] += inserted;
        }

        /** Drains until every shadow partition is read to its current (last stable) end. */
        void drainToEnd(long[] written) throws SQLException {
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                drain(Duration.ofMillis(200), written);
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
