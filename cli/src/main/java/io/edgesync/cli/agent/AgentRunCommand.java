package io.edgesync.cli.agent;

import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code edgesync agent run}: runs the agent until Ctrl-C or SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the agent: the local POST /telemetry endpoint on 127.0.0.1, uploads, commands, config "
            + "and heartbeats. Prints device=, database= and local= lines, then runs until Ctrl-C or SIGTERM.")
final class AgentRunCommand implements Callable<Integer> {
    @Mixin
    AgentOptions options;

    @Override
    public Integer call() throws Exception {
        AgentConfig config = options.load();
        EdgeAgent agent = EdgeAgent.open(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "edge-agent-shutdown"));
        agent.start();
        System.out.println("device=" + agent.deviceId());
        System.out.println("database=" + config.databaseFile().toAbsolutePath());
        System.out.println("local=" + (agent.httpPort() < 0 ? "off" : "http://127.0.0.1:" + agent.httpPort()));
        System.out.println("agent running: press Ctrl-C to stop");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
