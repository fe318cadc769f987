package io.edgesync.cli.bench;

import io.edgesync.embedded.KafkaBroker;
import io.edgesync.embedded.TempDirs;
import io.edgesync.processor.ProcessorConfig;
import io.edgesync.processor.StreamProcessor;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.kafka.KafkaClients;
import io.edgesync.shared.kafka.TopicAdmin;
import io.edgesync.shared.kafka.Topics;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgesync bench processor}: records/s through the stream processor (exactly-once, state
 * store, JSON in and out) next to a plain consumer reading the same input in the same run. Each
 * processor run is a fresh application over the same preloaded {@code telemetry.raw}, timed from
 * RUNNING until a read_committed reader has every expected record of {@code telemetry.clean}.
 */
@Command(name = "processor", mixinStandardHelpOptions = true,
        description = "Records/s through the stream processor (EOS v2) next to a plain consumer, on an embedded broker.")
public final class ProcessorBench implements Callable<Integer> {
    @Option(names = "--records", defaultValue = "200000", description = "Records preloaded (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--devices", defaultValue = "1000", description = "Devices (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--commit-intervals", split = ",", defaultValue = "100ms,1s",
            description = "Processor runs, one per commit interval (default: ${DEFAULT-VALUE}).")
    List<String> commitIntervals;

    @Option(names = "--threads", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--cache-max-bytes", defaultValue = "10485760",
            description = "State store cache (default: ${DEFAULT-VALUE}).")
    long cacheMaxBytes;

    @Option(names = "--warmup", defaultValue = "true", negatable = true,
            description = "First run a processor pass that is reported apart, to warm up the JIT (default: ${DEFAULT-VALUE}).")
    boolean warmup;

    @Override
    public Integer call() throws Exception {
        Path dir = TempDirs.create("bench-processor-");
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), 0)) {
            String bootstrap = broker.bootstrapServers();
            TopicAdmin.ensureTopics(bootstrap, partitions, (short) 1);
            awaitLeaders(bootstrap);
            long t0 = System.nanoTime();
            ProcessorBenchInput input = ProcessorBenchInput.preload(bootstrap, records, devices, 0.10, 0.05, 42);
            print("preload", input.records(), System.nanoTime() - t0, "producer, acks=all, lz4");
            System.out.printf("input: %d records on %s (%d partitions), %d devices, %d expected in %s%n",
                    input.records(), Topics.TELEMETRY_RAW.name(), partitions, devices, input.expectedClean(),
                    Topics.TELEMETRY_CLEAN.name());

            long plain = countFromStart(bootstrap, Topics.TELEMETRY_RAW.name(), input.records(), "read_uncommitted");
            print("plain consumer", input.records(), plain, "byte[] poll loop, no processing");

            List<String> runs = new ArrayList<>(commitIntervals);
            if (warmup) {
                runs.add(0, commitIntervals.get(0));
            }
            for (int run = 1; run <= runs.size(); run++) {
                String interval = runs.get(run - 1);
                Measured m = timeProcessor(config(bootstrap, dir, run, interval), bootstrap,
                        input.expectedClean() * run);
                print(warmup && run == 1 ? "warm-up" : "processor", input.records(), m.nanos(),
                        "exactly_once_v2, commit " + interval + ", " + threads + " thread(s), RocksDB, cache "
                                + cacheMaxBytes / 1024 / 1024 + " MiB");
                System.out.printf("%-15s %,10.1f us CPU per record in the processor's own threads%n", "",
                        m.cpuNanos() / 1e3 / input.records());
            }
            System.out.printf("machine: %d cores available to the JVM; figures are wall-clock on a shared machine%n",
                    Runtime.getRuntime().availableProcessors());
        } finally {
            TempDirs.deleteRecursively(dir);
        }
        return 0;
    }

    record Measured(long nanos, long cpuNanos) {
    }

    ProcessorConfig config(String bootstrap, Path dir, int run, String commitInterval) {
        return ProcessorConfig.from(ConfigSource.of(Map.of(
                "kafka.bootstrap-servers", bootstrap,
                "processor.application-id", "bench-processor-" + run,
                "processor.state-dir", dir.resolve("streams-" + run).toString(),
                "processor.stream-threads", Integer.toString(threads),
                "processor.port", "-1",
                "processor.commit-interval", commitInterval,
                "processor.cache-max-bytes", Long.toString(cacheMaxBytes))));
    }

    /** From RUNNING until telemetry.clean holds {@code cleanTotal} records (earlier runs' output included). */
    static Measured timeProcessor(ProcessorConfig config, String bootstrap, long cleanTotal)
            throws InterruptedException {
        try (StreamProcessor processor = StreamProcessor.start(config)) {
            if (!processor.awaitRunning(Duration.ofMinutes(2))) {
                throw new IllegalStateException("processor did not start: " + processor.state());
            }
            long start = System.nanoTime();
            long cpuBefore = threadCpu(config.applicationId());
            countFromStart(bootstrap, Topics.TELEMETRY_CLEAN.name(), cleanTotal, "read_committed");
            return new Measured(System.nanoTime() - start, threadCpu(config.applicationId()) - cpuBefore);
        }
    }

    /** Topics just created may have no leader yet; producing then fails or is retried. */
    static void awaitLeaders(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(KafkaClients.of(bootstrap).admin(Map.of()))) {
            List<String> names = Topics.ALL.stream().map(t -> t.name()).toList();
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (admin.describeTopics(names).allTopicNames().get().values().stream()
                    .flatMap(d -> d.partitions().stream()).anyMatch(p -> p.leader() == null)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics have no leader after 1 minute");
                }
                Thread.sleep(100);
            }
        }
    }

    /** CPU nanoseconds used so far by the live threads whose name has the application id (stream, producer). */
    private static long threadCpu(String applicationId) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(applicationId)) {
                total += Math.max(0, mx.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    /** Reads the topic from the beginning until {@code target} records were seen; returns the nanoseconds. */
    private static long countFromStart(String bootstrap, String topic, long target, String isolation) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.of(bootstrap).consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long start = System.nanoTime();
            long lastProgress = start;
            long seen = 0;
            while (seen < target) {
                if (System.nanoTime() - lastProgress > Duration.ofMinutes(2).toNanos()) {
                    throw new IllegalStateException("only " + seen + " of " + target + " records on " + topic
                            + ", none for 2 minutes");
                }
                int n = consumer.poll(Duration.ofMillis(100)).count();
                if (n > 0) {
                    seen += n;
                    lastProgress = System.nanoTime();
                }
            }
            return System.nanoTime() - start;
        }
    }

    static void print(String what, long records, long nanos, String how) {
        double seconds = nanos / 1e9;
        System.out.printf("%-15s %,10d records in %6.2f s = %,9.0f records/s  (%s)%n", what, records, seconds,
                records / seconds, how);
    }
}
