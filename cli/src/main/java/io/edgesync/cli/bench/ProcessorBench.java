package io.edgesync.cli.bench;

import io.edgesync.processor.ProcessorConfig;
import io.edgesync.processor.StreamProcessor;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.kafka.TopicAdmin;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.KafkaBroker;
import io.edgesync.testsupport.TempDirs;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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

    @Override
    public Integer call() throws Exception {
        Path dir = TempDirs.create("bench-processor-");
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), 0)) {
            String bootstrap = broker.bootstrapServers();
            TopicAdmin.ensureTopics(bootstrap, partitions, (short) 1);
            long t0 = System.nanoTime();
            ProcessorBenchInput input = ProcessorBenchInput.preload(bootstrap, records, devices, 0.10, 0.05, 42);
            print("preload", input.records(), System.nanoTime() - t0, "producer, acks=all, lz4");
            System.out.printf("input: %d records on %s (%d partitions), %d devices, %d expected in %s%n",
                    input.records(), Topics.TELEMETRY_RAW.name(), partitions, devices, input.expectedClean(),
                    Topics.TELEMETRY_CLEAN.name());

            long plain = countFromStart(bootstrap, Topics.TELEMETRY_RAW.name(), input.records(), "read_uncommitted");
            print("plain consumer", input.records(), plain, "byte[] poll loop, no processing");

            int run = 0;
            for (String interval : commitIntervals) {
                run++;
                ProcessorConfig config = ProcessorConfig.from(ConfigSource.of(Map.of(
                        "kafka.bootstrap-servers", bootstrap,
                        "processor.application-id", "bench-processor-" + run,
                        "processor.state-dir", dir.resolve("streams-" + run).toString(),
                        "processor.stream-threads", Integer.toString(threads),
                        "processor.commit-interval", interval,
                        "processor.cache-max-bytes", Long.toString(cacheMaxBytes))));
                long[] cpu = new long[1];
                long elapsed = timeProcessor(config, bootstrap, input.expectedClean(), run, cpu);
                print("processor", input.records(), elapsed, "exactly_once_v2, commit " + interval + ", "
                        + threads + " thread(s), RocksDB, cache " + cacheMaxBytes / 1024 / 1024 + " MiB");
                System.out.printf("%-15s %,10.1f us CPU per record in the processor's own threads%n", "",
                        cpu[0] / 1e3 / input.records());
            }
            System.out.printf("machine: %d cores available to the JVM; figures are wall-clock on a shared machine%n",
                    Runtime.getRuntime().availableProcessors());
        } finally {
            TempDirs.deleteRecursively(dir);
        }
        return 0;
    }

    private long timeProcessor(ProcessorConfig config, String bootstrap, long expected, int run, long[] cpu)
            throws Exception {
        try (StreamProcessor processor = StreamProcessor.start(config)) {
            if (!processor.awaitRunning(Duration.ofMinutes(2))) {
                throw new IllegalStateException("processor did not start: " + processor.state());
            }
            long start = System.nanoTime();
            // clean holds earlier runs' output too: wait for this run's share
            long cpuBefore = threadCpu(config.applicationId());
            countFromStart(bootstrap, Topics.TELEMETRY_CLEAN.name(), expected * run, "read_committed");
            long elapsed = System.nanoTime() - start;
            cpu[0] = threadCpu(config.applicationId()) - cpuBefore;
            return elapsed;
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
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long start = System.nanoTime();
            long deadline = start + Duration.ofMinutes(10).toNanos();
            long seen = 0;
            while (seen < target) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + seen + " of " + target + " records on " + topic);
                }
                seen += consumer.poll(Duration.ofMillis(100)).count();
            }
            return System.nanoTime() - start;
        }
    }

    private static void print(String what, long records, long nanos, String how) {
        double seconds = nanos / 1e9;
        System.out.printf("%-15s %,10d records in %6.2f s = %,9.0f records/s  (%s)%n", what, records, seconds,
                records / seconds, how);
    }
}
