package io.edgesync.cli.agent;

import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.shared.config.ConfigSource;
import java.util.HashMap;
import java.util.Map;

/** A real edge agent in a child JVM (under ChildMain), configured by key=value arguments, running until killed. */
public final class NodeAgentMain {
    private NodeAgentMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            settings.put(a.substring(0, eq), a.substring(eq + 1));
        }
        EdgeAgent agent = EdgeAgent.open(AgentConfig.from(ConfigSource.of(settings)));
        agent.start();
        System.out.println("event=node_agent_started device=" + agent.deviceId());
        Thread.sleep(Long.MAX_VALUE);
    }
}
