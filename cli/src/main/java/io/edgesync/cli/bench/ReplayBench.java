package io.edgesync.cli.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.edgesync.cli.replay.Replay;
import io.edgesync.cli.replay.ReplayPlan;
import io.edgesync.embedded.KafkaBroker;
import io.edgesync.embedded.PostgresServer;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.db.Database;
import io.edgesync.shared.kafka.TopicAdmin;
import io.edgesync.shared.kafka.Topics;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgesync bench replay}: records/s of {@code edgesync replay} next to the live processor's, in
 * the same run over the same preloaded {@code telemetry.raw}: the processor timed as in
 * {@code bench processor} (until telemetry.clean holds every winner), the replay from its start until
 * its shadow table holds every winner (its decisions, its shadow topics and the shadow table writes).
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Records/s of edgesync replay (into a shadow table) next to the live processor, on an "
                + "embedded broker and PostgreSQL.")
public final class ReplayBench implements Callable<Integer> {
    @Option(names = "--records", defaultValue = "200000", description = "Records preloaded (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--devices", defaultValue = "1000", description = "Devices (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() throws Exception {
        Path dir = TempDirs.create("bench-replay-");
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), 0);
             PostgresServer pg = PostgresServer.start(dir.resolve("pg"), Path.of(System.getProperty("java.io.tmpdir"),
                     "pg-binaries"), 0, false);
             HikariDataSource db = Database.pool(pg.jdbcUrl(), 4, "bench-replay")) {
            Database.migrate(db);
            String bootstrap = broker.bootstrapServers();
            TopicAdmin.ensureTopics(bootstrap, partitions, (short) 1);
            ProcessorBench.awaitLeaders(bootstrap);
            ProcessorBenchInput input = ProcessorBenchInput.preload(bootstrap, records, devices, 0.10, 0.05, 42);
            System.out.printf("input: %,d records on %s (%d partitions), %,d devices, %,d winners%n", input.records(),
                    Topics.TELEMETRY_RAW.name(), partitions, devices, input.expectedClean());
            ProcessorBench settings = new ProcessorBench();
            settings.threads = 1;
            settings.cacheMaxBytes = 10L * 1024 * 1024;
            for (int run = 1; run <= 2; run++) {
                ProcessorBench.Measured live = ProcessorBench.timeProcessor(
                        settings.config(bootstrap, dir, run, "100ms"), bootstrap, input.expectedClean() * run);
                ProcessorBench.print(run == 1 ? "warm-up" : "live processor", input.records(), live.nanos(),
                        "exactly_once_v2, commit 100ms, into telemetry.clean");
            }
            Replay replay = new Replay(bootstrap, db, new PrintStream(OutputStream.nullOutputStream()));
            for (int run = 1; run <= 2; run++) {
                ReplayPlan plan = ReplayPlan.resolve(bootstrap, "bench" + run, Map.of(), null, null, Set.of());
                Replay.Summary s = replay.run(plan, UnaryOperator.identity());
                ProcessorBench.print(run == 1 ? "replay warm-up" : "replay", input.records(),
                        (long) (s.seconds() * 1e9), "isolated application, shadow topics and telemetry_data_replay_"
                                + plan.name() + " (" + s.rowsWritten() + " row writes)");
            }
            System.out.printf("machine: %d cores available to the JVM; figures are wall-clock on a shared machine%n",
                    Runtime.getRuntime().availableProcessors());
        } finally {
            TempDirs.deleteRecursively(dir);
        }
        return 0;
    }
}
