package io.edgesync.cli.bench;

import io.edgesync.embedded.KafkaBroker;
import io.edgesync.embedded.TempDirs;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.kafka.TopicAdmin;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgesync bench gateway}: records/s the gateway accepts (200, acks=all) for 1,000-record
 * batches from concurrent HTTP clients, next to Kafka's own ProducerPerformance writing records of
 * the same bytes (the gateway's own JSON values) with the same producer settings to the same broker,
 * in the same run.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Gateway records/s for 1,000-record batches next to Kafka's ProducerPerformance on the same "
                + "broker, same record bytes, same run.")
public final class GatewayBench implements Callable<Integer> {
    @Option(names = "--clients", defaultValue = "32", description = "Concurrent HTTP clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--batch", defaultValue = "1000", description = "Records per upload (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup-seconds", defaultValue = "10", description = "Gateway warm-up (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--seconds", defaultValue = "20", description = "Gateway measured window (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--producer-records", defaultValue = "2000000",
            description = "Records ProducerPerformance sends after its warm-up (default: ${DEFAULT-VALUE}).")
    long producerRecords;

    @Option(names = "--rounds", defaultValue = "1", description = "Gateway/producer rounds, alternating (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() throws Exception {
        Path dir = TempDirs.create("bench-gateway-");
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), 0)) {
            TopicAdmin.ensureTopics(broker.bootstrapServers(), partitions, (short) 1);
            BenchRecords records = BenchRecords.create(batch);
            Path payloads = records.writePayloadFile(dir.resolve("payloads.txt"));
            System.out.printf(Locale.ROOT, "broker: in-process KRaft, %d partitions; record value: %d bytes of JSON "
                    + "(the gateway's own telemetry.raw values); producer: acks=all, idempotent, lz4, linger 5 ms, "
                    + "batch 256 KiB; cores: %d%n", partitions, records.valueBytes(),
                    Runtime.getRuntime().availableProcessors());
            double[] gatewayRates = new double[rounds];
            double[] producerRates = new double[rounds];
            double[] gatewayPerCpu = new double[rounds];
            double[] producerPerCpu = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                try (IngestGateway gateway = IngestGateway.start(ConfigSource.of(Map.of(
                        "kafka.bootstrap-servers", broker.bootstrapServers(),
                        "gateway.port", "0",
                        "gateway.auth-mode", "none",
                        "gateway.rate-limit.records-per-second", "100000000",
                        "gateway.rate-limit.burst", "100000000")))) {
                    GatewayLoad.Result g = new GatewayLoad(gateway.url(), records, clients).run(warmupSeconds, seconds);
                    gatewayRates[round] = g.recordsPerSecond();
                    gatewayPerCpu[round] = g.recordsPerCpuSecond();
                }
                System.out.printf(Locale.ROOT, "round %d gateway: %,.0f records/s accepted (%d clients, %d-record "
                        + "batches, %d s window after %d s warm-up); %,.0f records per CPU-second (broker, gateway and "
                        + "HTTP clients)%n", round + 1, gatewayRates[round], clients, batch, seconds, warmupSeconds,
                        gatewayPerCpu[round]);
                ProducerPerformanceRun.Result p = ProducerPerformanceRun.run(broker.bootstrapServers(), payloads,
                        producerRecords, producerRecords / 5);
                producerRates[round] = p.recordsPerSecond();
                producerPerCpu[round] = p.recordsPerCpuSecond();
                System.out.printf(Locale.ROOT, "round %d ProducerPerformance: %,.0f records/s; %,.0f records per "
                        + "CPU-second (broker and producer)%n", round + 1, producerRates[round], producerPerCpu[round]);
            }
            double gateway = median(gatewayRates);
            double raw = median(producerRates);
            System.out.printf(Locale.ROOT, "RESULT gateway=%,.0f rec/s  kafka-producer-perf=%,.0f rec/s  ratio=%.0f%%"
                    + " (target >= 80%%)%n", gateway, raw, 100 * gateway / raw);
            System.out.printf(Locale.ROOT, "RESULT per CPU-second: gateway=%,.0f  kafka-producer-perf=%,.0f  "
                    + "ratio=%.0f%% (load average at the end: %.1f on %d cores)%n", median(gatewayPerCpu),
                    median(producerPerCpu), 100 * median(gatewayPerCpu) / median(producerPerCpu),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Runtime.getRuntime().availableProcessors());
            return 0;
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    /** The median of the known values (NaN where a figure could not be taken). */
    private static double median(double[] values) {
        double[] sorted = java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
