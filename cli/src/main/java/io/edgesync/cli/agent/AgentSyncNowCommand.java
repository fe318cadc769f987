package io.edgesync.cli.agent;

import io.edgesync.agent.AgentConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code edgesync agent sync-now}: asks the running agent, through its local endpoint, to sync now. */
@Command(name = "sync-now", mixinStandardHelpOptions = true,
        description = "Asks the running agent to start a sync cycle (telemetry and table sources) now, through "
            + "POST /sync-now on its local endpoint (agent.http.port). Touching .sync_now in the directory of "
            + "agent.database does the same without the endpoint. Exit 1 when no agent answers.")
final class AgentSyncNowCommand implements Callable<Integer> {
    @Mixin
    AgentOptions options;

    @Override
    public Integer call() throws InterruptedException {
        AgentConfig config = options.load();
        if (config.httpPort() <= 0) {
            System.err.println("agent.http.port is " + config.httpPort() + ": set the running agent's port, or touch "
                    + config.databaseFile().toAbsolutePath().resolveSibling(".sync_now"));
            return 1;
        }
        URI uri = URI.create("http://127.0.0.1:" + config.httpPort() + "/sync-now");
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                System.err.println("the agent answered " + r.statusCode() + ": " + r.body());
                return 1;
            }
            System.out.println("sync requested");
            return 0;
        } catch (IOException e) {
            System.err.println("no agent answers on " + uri + ": " + e.getMessage());
            return 1;
        }
    }
}
