package io.edgesync.cli.bench;

import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.agent.store.StoreOptions;
import io.edgesync.agent.sync.TelemetrySync;
import io.edgesync.agent.sync.TelemetryUploader;
import io.edgesync.cli.EdgeSyncCli;
import io.edgesync.embedded.KafkaBroker;
import io.edgesync.embedded.TempDirs;
import io.edgesync.gateway.GatewayConfig;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.gateway.auth.TrustingAuthenticator;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.kafka.TopicAdmin;
import io.edgesync.shared.model.TelemetryRecord;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgesync bench agent}: records/s written into the agent's SQLite store (Java API, both
 * durability modes, batched, one by one, and one per call from many writers at once through group commit), records/s an agent process drains to a real gateway
 * (next to the raw upload rate of the same gateway without SQLite), and the resident memory of
 * that agent process (VmHWM and VmRSS from /proc/PID/status).
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Edge agent: local store write rate, drain rate to a real gateway (with a raw-upload "
            + "baseline), and the agent process's resident memory.")
public final class AgentBench implements Callable<Integer> {
    @Option(names = "--records", defaultValue = "100000", description = "Records per phase (default ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--single", defaultValue = "2000",
            description = "Records written one per call (one transaction each) (default ${DEFAULT-VALUE}).")
    int single;

    @Option(names = "--writers", defaultValue = "32",
            description = "Threads writing one record per call at once, coalesced by group commit (default ${DEFAULT-VALUE}).")
    int writers;

    @Option(names = "--agent-heap", defaultValue = "128m", description = "-Xmx of the agent process (default ${DEFAULT-VALUE}).")
    String agentHeap;

    @Option(names = "--function", defaultValue = "examples/functions/identity.wasm",
            description = "The trivial edge function the function phase runs on every reading (default ${DEFAULT-VALUE}).")
    Path function;

    @Override
    public Integer call() throws Exception {
        Path dir = TempDirs.create("bench-agent-");
        try {
            System.out.printf("edge agent benchmark: %d records, %d cores%n", records,
                    Runtime.getRuntime().availableProcessors());
            writes(dir);
            functions(dir);
            try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), 0)) {
                TopicAdmin.ensureTopics(kafka.bootstrapServers(), 3, (short) 1);
                try (IngestGateway gateway = IngestGateway.start(GatewayConfig.from(ConfigSource.of(Map.of(
                        "kafka.bootstrap-servers", kafka.bootstrapServers(), "gateway.port", "0",
                        "gateway.auth-mode", "none", "gateway.rate-limit.records-per-second", "100000000",
                        "gateway.rate-limit.burst", "100000000"))), new TrustingAuthenticator())) {
                    rawUpload(gateway);
                    drain(dir, gateway);
                }
            }
            return 0;
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    private void writes(Path dir) throws InterruptedException {
        for (StoreOptions.Durability durability : StoreOptions.Durability.values()) {
            try (EdgeAgent agent = EdgeAgent.open(config("w-" + durability, dir.resolve("w-" + durability + ".db"),
                    "http://127.0.0.1:9", durability), HttpClient.newHttpClient(), Clock.systemUTC())) {
                long start = System.nanoTime();
                for (int i = 0; i < records; i += 1000) {
                    agent.submit(readings(agent.deviceId(), Math.min(1000, records - i)));
                }
                double batched = rate(records, start);
                start = System.nanoTime();
                for (int i = 0; i < single; i++) {
                    agent.record("s1", "temperature", i, "C");
                }
                double oneByOne = rate(single, start);
                System.out.printf("store write, durability=%-6s: %,10.0f records/s in batches of 1,000;"
                        + " %,8.0f records/s one per call%n", durability.name().toLowerCase(), batched, oneByOne);
                groupCommit(agent, durability);
            }
        }
    }

    /** {@code writers} threads each storing one record per call; group commit shares their transactions. */
    private void groupCommit(EdgeAgent agent, StoreOptions.Durability durability) throws InterruptedException {
        int each = Math.max(1, records / writers);
        long commitsBefore = agent.storeCommits();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < writers; t++) {
            int sensor = t;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    agent.record("s" + sensor, "temperature", i, "C");
                }
            }, "bench-writer-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        double rate = rate((long) each * writers, start);
        long commits = agent.storeCommits() - commitsBefore;
        System.out.printf("store write, durability=%-6s: %,10.0f records/s one per call from %d writers at once"
                + " (group commit: %,d transactions, %.1f records each)%n", durability.name().toLowerCase(), rate,
                writers, commits, (double) each * writers / Math.max(1, commits));
    }

    /** The same batched writes without and with one edge function on every reading, in one run. */
    private void functions(Path dir) throws Exception {
        byte[] module = Files.readAllBytes(function);
        double[] rates = new double[2];
        for (int withFunction = 0; withFunction < 2; withFunction++) {
            try (EdgeAgent agent = EdgeAgent.open(config("f-" + withFunction, dir.resolve("f-" + withFunction + ".db"),
                    "http://127.0.0.1:9", StoreOptions.Durability.NORMAL), HttpClient.newHttpClient(),
                    Clock.systemUTC())) {
                if (withFunction == 1) {
                    agent.functions().install("bench", "bench", "1", module, 1);
                }
                agent.submit(readings(agent.deviceId(), 1000)); // warm-up
                long start = System.nanoTime();
                for (int i = 0; i < records; i += 1000) {
                    agent.submit(readings(agent.deviceId(), Math.min(1000, records - i)));
                }
                rates[withFunction] = rate(records, start);
            }
        }
        System.out.printf("store write, durability=normal, batches of 1,000: %,10.0f records/s without functions;"
                + " %,10.0f records/s through %s (%.0f%%)%n", rates[0], rates[1], function.getFileName(),
                100 * rates[1] / rates[0]);
    }

    private void rawUpload(IngestGateway gateway) throws Exception {
        TelemetryUploader uploader = new TelemetryUploader(HttpClient.newHttpClient(), gateway.url(), () -> null,
                Duration.ofSeconds(30));
        List<List<TelemetryRecord>> batches = new ArrayList<>();
        for (int i = 0; i < records; i += 1000) {
            batches.add(readings("raw-device", Math.min(1000, records - i)));
        }
        long start = System.nanoTime();
        for (List<TelemetryRecord> b : batches) {
            uploader.upload("raw-device", UUID.randomUUID().toString(), b);
        }
        System.out.printf("baseline, raw gzip uploads of 1,000 (no SQLite): %,10.0f records/s%n", rate(records, start));
    }

    private void drain(Path dir, IngestGateway gateway) throws Exception {
        Path db = dir.resolve("drain.db");
        try (EdgeAgent writer = EdgeAgent.open(config("drain-device", db, gateway.url(),
                StoreOptions.Durability.FULL), HttpClient.newHttpClient(), Clock.systemUTC())) {
            for (int i = 0; i < records; i += 1000) {
                writer.submit(readings("drain-device", Math.min(1000, records - i)));
            }
        }
        Path yaml = dir.resolve("agent.yaml");
        Files.writeString(yaml, String.join("\n", "agent:", "  device-id: drain-device", "  database: " + db,
                "  gateway-url: " + gateway.url(), "  dispatcher-url: ''", "  sync-interval: 100ms", ""));
        Process agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + agentHeap, "-cp", System.getProperty("java.class.path"), EdgeSyncCli.class.getName(),
                "agent", "run", "--config", yaml.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
        try {
            long rssIdle = 0;
            long first = 0;
            long start = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            long synced = 0;
            while (synced < records && System.nanoTime() < deadline && agent.isAlive()) {
                synced = synced(db);
                if (synced > 0 && start == 0) {
                    start = System.nanoTime();
                    first = synced;
                    rssIdle = kib(agent.pid(), "VmRSS");
                }
                Thread.sleep(20);
            }
            double drained = rate(synced - first, start);
            long hwm = kib(agent.pid(), "VmHWM");
            long rss = kib(agent.pid(), "VmRSS");
            System.out.printf("drain to a real gateway (agent process, -Xmx%s): %,10.0f records/s (%,d records)%n",
                    agentHeap, drained, synced);
            System.out.printf("agent process resident memory: peak (VmHWM) %,d KiB; after draining (VmRSS) %,d KiB;"
                    + " when the drain began %,d KiB%n", hwm, rss, rssIdle);
        } finally {
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
    }

    private static long synced(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM telemetry_data WHERE sync_status = 'synced'")) {
            return rs.getLong(1);
        }
    }

    private static long kib(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D+", ""));
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    private static double rate(long n, long startNanos) {
        return n / ((System.nanoTime() - startNanos) / 1e9);
    }

    private static AgentConfig config(String device, Path db, String gatewayUrl, StoreOptions.Durability durability) {
        return new AgentConfig(device, db, gatewayUrl, null, null, 1000, Duration.ofHours(1), Duration.ofSeconds(30),
                TelemetrySync.RetryPolicy.defaults(), new StoreOptions(durability, 10_000_000,
                StoreOptions.FullPolicy.REJECT_NEW, Duration.ofDays(7)), -1, null, Duration.ofSeconds(30),
                Duration.ofSeconds(30), "edge-agent");
    }

    private static List<TelemetryRecord> readings(String device, int n) {
        List<TelemetryRecord> out = new ArrayList<>(n);
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            out.add(new TelemetryRecord(UUID.randomUUID().toString(), device, "sensor-" + (i % 8), now + i,
                    "temperature", 20 + (i % 100) / 10.0, "C", null, 1, null, null));
        }
        return out;
    }
}
