package io.edgesync.cli.bench;

import io.edgesync.cli.EdgeSyncCli;
import io.edgesync.dispatcher.auth.LocalCredentials;
import io.edgesync.embedded.KafkaBroker;
import io.edgesync.embedded.PostgresServer;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.kafka.TopicAdmin;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgesync bench long-poll}: one dispatcher process (a child JVM, {@code edgesync serve
 * dispatcher}, so its memory is its own) holding a long-poll of every one of {@code --devices}
 * enrolled devices at once, against a real broker and real PostgreSQL. Prints the database's
 * transactions per second (pg_stat_database) idle and with every poll waiting, the dispatcher's
 * memory and threads idle and with every poll waiting, and the latency from a command's creation to
 * its delivery while all the others keep waiting. The client side is {@link LongPollClients}.
 */
@Command(name = "long-poll", mixinStandardHelpOptions = true,
        description = "Dispatcher holding a long-poll per device (default 10,000): database transactions/s while "
            + "they wait, dispatcher memory, create-to-delivery latency p50/p99 with all waiting.")
public final class LongPollBench implements Callable<Integer> {
    @Option(names = "--devices", description = "Enrolled devices, one long-poll each (default: ${DEFAULT-VALUE}).",
            defaultValue = "10000")
    int devices;

    @Option(names = "--samples", description = "Commands created while all wait, for the latency "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "1000")
    int samples;

    @Option(names = "--window", description = "Seconds over which database transactions are counted "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "20")
    int window;

    @Option(names = "--wait", description = "?wait= of each long-poll in seconds; the dispatcher's "
            + "dispatcher.max-long-poll is set to it (default: ${DEFAULT-VALUE}).", defaultValue = "180")
    int wait;

    @Option(names = "--dispatcher-heap", description = "-Xmx of the dispatcher process (default: ${DEFAULT-VALUE}).",
            defaultValue = "1g")
    String heap;

    /** Stats of an idle backend reach pg_stat_database within 10 s (PGSTAT_IDLE_INTERVAL); wait past it. */
    private static final Duration STATS_SETTLE = Duration.ofSeconds(12);

    @Override
    public Integer call() throws Exception {
        Path dir = TempDirs.create("bench-long-poll-");
        Path binaries = Path.of(System.getProperty("user.home"), ".edgesync", "pg-binaries");
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), 0);
             PostgresServer pg = PostgresServer.start(dir.resolve("pg"), binaries, 0, false)) {
            TopicAdmin.ensureTopics(kafka.bootstrapServers(), 3, (short) 1);
            LocalCredentials creds = LocalCredentials.loadOrCreate(dir);
            int port = freePort();
            Path yaml = dir.resolve("dispatcher.yaml");
            Files.writeString(yaml, String.join("\n",
                    "kafka:", "  bootstrap-servers: " + kafka.bootstrapServers(),
                    "database:", "  jdbc-url: '" + pg.jdbcUrl() + "'",
                    "dispatcher:", "  port: " + port, "  signing-key-file: " + creds.signingKeyFile(),
                    "  operator-token: " + creds.operatorToken(), "  enrollment-key: " + creds.enrollmentKey(),
                    // the bench enrols the whole fleet with the one key at once: lift its per-minute limit
                    "  enrollment-key-rate-limit: 1000000",
                    "  max-long-poll: " + wait + "s", ""));
            Process dispatcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), EdgeSyncCli.class.getName(),
                    "serve", "dispatcher", "--config", yaml.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("dispatcher.log").toFile()).start();
            try (LongPollClients clients = new LongPollClients("http://127.0.0.1:" + port, creds.operatorToken());
                 Connection db = DriverManager.getConnection(pg.jdbcUrl())) {
                clients.awaitReady(Duration.ofMinutes(2));
                run(clients, creds.enrollmentKey(), db, dispatcher.pid());
            } finally {
                dispatcher.destroy();
                if (!dispatcher.waitFor(30, TimeUnit.SECONDS)) {
                    dispatcher.destroyForcibly();
                }
            }
        } finally {
            TempDirs.deleteRecursively(dir);
        }
        return 0;
    }

    private void run(LongPollClients clients, String enrollmentKey, Connection db, long pid) throws Exception {
        System.out.printf("long-poll bench: %d devices, one long-poll each (?wait=%d), %d latency samples, "
                + "%d cores, dispatcher -Xmx%s, ulimit -n of this process: %s%n", devices, wait, samples,
                Runtime.getRuntime().availableProcessors(), heap, openFileLimit());
        double perSecond = clients.register(devices, enrollmentKey);
        System.out.printf("enrolled: %d devices at %.0f registrations/s%n", devices, perSecond);

        Thread.sleep(STATS_SETTLE.toMillis());
        double idle = transactionsPerSecond(db);
        Memory before = memory(clients, pid);
        System.out.printf("idle (no poll held): database %.1f transactions/s over %d s; dispatcher %s%n",
                idle, window, before);

        long start = System.nanoTime();
        clients.openPolls(wait);
        double waiting = clients.awaitWaiting(devices, Duration.ofMinutes(3));
        System.out.printf("holding: %.0f long-polls waiting %.1f s after the first was sent%n", waiting,
                (System.nanoTime() - start) / 1e9);

        Thread.sleep(STATS_SETTLE.toMillis());
        double held = transactionsPerSecond(db);
        Memory during = memory(clients, pid);
        System.out.printf("with %d waiting: database %.1f transactions/s over %d s (%+.1f vs idle); dispatcher %s%n",
                devices, held, window, held - idle, during);
        System.out.printf("dispatcher memory for the waiting polls: heap %+.1f MiB (%.0f bytes per poll), "
                        + "resident %+.1f MiB, threads %+d%n", (during.heapBytes - before.heapBytes) / 1048576.0,
                (during.heapBytes - before.heapBytes) / (double) devices,
                (during.rssKib - before.rssKib) / 1024.0, during.threads - before.threads);
        System.out.printf("polls answered before any command was created: %d (must be 0)%n", clients.answered());

        LongPollClients.Latency latency = clients.latency(samples);
        System.out.printf("create -> delivered with %d others waiting: %d samples: p50 %.1f ms, p99 %.1f ms, "
                        + "max %.1f ms (from sending the create request to the poll's answer); wrong answers %d%n",
                devices - samples, latency.samples(), latency.p50Millis(), latency.p99Millis(), latency.maxMillis(),
                latency.wrong());
        System.out.printf("still waiting after the latency phase: %.0f%n", clients.waiting());
    }

    /** Transactions committed or rolled back in the database per second over {@link #window} seconds. */
    private double transactionsPerSecond(Connection db) throws Exception {
        long first = transactions(db);
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(window));
        long last = transactions(db);
        return (last - first - 1) / ((System.nanoTime() - start) / 1e9); // -1: the first count's own statement
    }

    private static long transactions(Connection db) throws Exception {
        try (Statement s = db.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = s.executeQuery("SELECT xact_commit + xact_rollback FROM pg_stat_database "
                    + "WHERE datname = current_database()")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The dispatcher's heap in use (after a GC it was asked for), resident memory and live threads. */
    private record Memory(long heapBytes, long rssKib, int threads) {
        @Override
        public String toString() {
            return String.format("heap used %.1f MiB, resident %.1f MiB, %d threads", heapBytes / 1048576.0,
                    rssKib / 1024.0, threads);
        }
    }

    private static Memory memory(LongPollClients clients, long pid) throws Exception {
        gc(pid);
        Thread.sleep(1000);
        List<String> metrics = clients.metrics();
        return new Memory((long) sum(metrics, "jvm_memory_used_bytes{area=\"heap\""), kib(pid, "VmRSS"),
                (int) sum(metrics, "jvm_threads_live_threads"));
    }

    /** Asks the dispatcher JVM for a full GC (jcmd GC.run), so heap figures compare live objects. */
    private static void gc(long pid) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        jcmd.waitFor(60, TimeUnit.SECONDS);
    }

    private static double sum(List<String> metrics, String prefix) {
        return metrics.stream().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static long kib(long pid, String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        return -1;
    }

    private static String openFileLimit() {
        try {
            return Files.readAllLines(Path.of("/proc/self/limits")).stream()
                    .filter(l -> l.startsWith("Max open files")).map(l -> l.split("\\s{2,}")[1]).findFirst()
                    .orElse("?");
        } catch (Exception e) {
            return "?";
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
