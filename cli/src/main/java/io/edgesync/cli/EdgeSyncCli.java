package io.edgesync.cli;

import io.edgesync.shared.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The single EdgeSync command line: {@code bin/edgesync <command>}. */
@Command(name = "edgesync", mixinStandardHelpOptions = true, version = "edgesync 0.1.0",
        description = "EdgeSync: telemetry off edge fleets into Kafka and CockroachDB, commands back.",
        subcommands = {DemoCommand.class, LocalCommand.class, ServeCommand.class, TopicsCommand.class, ConfigDocs.class, CredentialsCommand.class, io.edgesync.cli.bench.BenchCommand.class,
            io.edgesync.cli.stats.StatsCommand.class,
            io.edgesync.cli.agent.AgentCommand.class, io.edgesync.cli.replay.ReplayCommand.class,
            io.edgesync.cli.functions.FunctionsCommand.class, io.edgesync.cli.functions.DeploymentsCommand.class,
            io.edgesync.cli.ops.DevicesCommand.class, io.edgesync.cli.ops.CommandsCommand.class,
            io.edgesync.cli.ops.ConfigCommand.class, io.edgesync.cli.ops.StatusCommand.class,
            io.edgesync.cli.ops.DlqCommand.class,
            CommandLine.HelpCommand.class})
public final class EdgeSyncCli implements Runnable {

    static {
        // the CLI's logging, also when a test class path (test-support's log4j2-test.xml) runs the CLI
        System.setProperty("log4j2.configurationFile", "edgesync-log4j2.xml");
        System.setProperty("log4j.shutdownHookEnabled", "false");
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private static String causes(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getCause() == null) {
                out.append(" (").append(c.getClass().getSimpleName()).append(": ").append(firstLine(c.getMessage()))
                        .append(')');
            }
        }
        return out.toString();
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@code bin/edgesync} runs it, with its error handling (tests use it too). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new EdgeSyncCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 2;
            }
            if (commandLine.getCommand() instanceof ServeCommand || commandLine.getCommand() instanceof TopicsCommand) {
                // a service that cannot start (database or Kafka unreachable, port taken), topics the cluster
                // refuses (a replication factor above its brokers): one line, status 1
                commandLine.getErr().println("error: " + firstLine(e.getMessage()) + causes(e));
                return 1;
            }
            throw e;
        });
        return cli;
    }
}
