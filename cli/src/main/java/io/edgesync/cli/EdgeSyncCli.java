package io.edgesync.cli;

import io.edgesync.shared.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The single EdgeSync command line: {@code bin/edgesync <command>}. */
@Command(name = "edgesync", mixinStandardHelpOptions = true, version = "edgesync 0.1.0",
        description = "EdgeSync: telemetry off edge fleets into Kafka and CockroachDB, commands back.",
        subcommands = {DemoCommand.class, LocalCommand.class, ServeCommand.class, TopicsCommand.class, ConfigDocs.class, CredentialsCommand.class, io.edgesync.cli.bench.BenchCommand.class,
            io.edgesync.cli.agent.AgentCommand.class,
            CommandLine.HelpCommand.class})
public final class EdgeSyncCli implements Runnable {

    static {
        // the CLI's logging, not the test configuration that test-support carries
        System.setProperty("log4j2.configurationFile", "edgesync-log4j2.xml");
        System.setProperty("log4j.shutdownHookEnabled", "false");
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new EdgeSyncCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        int exit = cli.execute(args);
        System.exit(exit);
    }
}
