package io.edgesync.cli.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Kafka's {@code org.apache.kafka.tools.ProducerPerformance} in a child JVM. Its jars
 * (kafka-tools and its argument parser) are copied by the build to {@code cli/target/kafka-tools},
 * outside our class path, so its Jetty and Connect never meet the gateway's.
 */
final class ProducerPerformanceRun {
    private static final Pattern RATE = Pattern.compile("records sent, ([0-9.]+) records/sec");

    private ProducerPerformanceRun() {
    }

    /**
     * Steady-state records/s ProducerPerformance reports (after its warm-up records), and records
     * per CPU-second of the child JVM plus this one (which hosts the broker) between its interval
     * reports after the first.
     */
    record Result(double recordsPerSecond, double recordsPerCpuSecond) {
    }

    static Result run(String bootstrap, Path payloadFile, long records, long warmupRecords)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp", classPath(),
                "org.apache.kafka.tools.ProducerPerformance",
                "--topic", "telemetry.raw", "--num-records", Long.toString(records + warmupRecords),
                "--warmup-records", Long.toString(warmupRecords), "--throughput", "-1",
                "--payload-file", payloadFile.toString(), "--payload-delimiter", "\n",
                "--reporting-interval", "2000",
                "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all", "enable.idempotence=true",
                "compression.type=lz4", "linger.ms=5", "batch.size=262144", "buffer.memory=268435456",
                "max.in.flight.requests.per.connection=5"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        double rate = -1;
        double steady = -1;
        // per-CPU figure from the interval reports after the first: JVM start-up and JIT excluded
        long intervalRecords = 0;
        long cpuAtFirstReport = -1;
        long cpuAtLastReport = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!line.contains("records sent")) {
                    continue;
                }
                System.out.println("  ProducerPerformance: " + line.trim());
                Matcher m = RATE.matcher(line);
                if (!m.find()) {
                    continue;
                }
                rate = Double.parseDouble(m.group(1)); // the last report is the whole run's
                if (line.toLowerCase(java.util.Locale.ROOT).contains("steady")) {
                    steady = rate;
                }
                if (!line.contains("50th")) { // an interval report
                    long cpu = CpuClock.childNanos(process.toHandle()) + CpuClock.processNanos();
                    if (cpuAtFirstReport < 0) {
                        cpuAtFirstReport = cpu;
                    } else {
                        intervalRecords += Long.parseLong(line.trim().split(" ")[0]);
                        cpuAtLastReport = cpu;
                    }
                }
            }
        }
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("ProducerPerformance did not finish");
        }
        if (process.exitValue() != 0 || rate < 0) {
            throw new IllegalStateException("ProducerPerformance failed (exit " + process.exitValue() + ")");
        }
        double perCpu = cpuAtLastReport <= cpuAtFirstReport ? Double.NaN
                : intervalRecords / ((cpuAtLastReport - cpuAtFirstReport) / 1e9);
        return new Result(steady >= 0 ? steady : rate, perCpu);
    }

    private static String classPath() {
        Path tools;
        try {
            Path classes = Path.of(ProducerPerformanceRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            tools = classes.getParent().resolve("kafka-tools");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (!Files.isDirectory(tools)) {
            throw new IllegalStateException(tools + " is missing: build with `mvn -DskipTests package -pl cli -am`");
        }
        return tools + File.separator + "*" + File.pathSeparator + System.getProperty("java.class.path");
    }
}
