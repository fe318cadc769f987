package io.edgesync.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code edgesync bench <name>}: benchmarks that print figures. Each runs against real components
 * started for the run (embedded Kafka and PostgreSQL) and prints what it measured next to a
 * baseline measured in the same run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print figures (records/s, rows/s, memory).",
        subcommands = {
            // one line per benchmark
            DispatcherBench.class,
            LongPollBench.class,
            GatewayBench.class,
            ProcessorBench.class,
            ReplayBench.class,
            AgentBench.class,
            SinkBench.class,
            TableSyncBench.class,
        })
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
