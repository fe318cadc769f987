package io.edgesync.cli.agent;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code edgesync agent <run|status|enroll|ingest|sync-now|doctor>}: the edge agent on a device. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "The edge agent: stores readings in SQLite and syncs them to the gateway; takes commands "
            + "and config from the dispatcher. Configuration: defaults < --config YAML < EDGESYNC_AGENT_* "
            + "environment variables (docs/configuration.md, section edge-agent).",
        subcommands = {AgentRunCommand.class, AgentStatusCommand.class, AgentEnrollCommand.class,
            AgentIngestCommand.class, AgentSyncNowCommand.class, AgentDoctorCommand.class})
public final class AgentCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
