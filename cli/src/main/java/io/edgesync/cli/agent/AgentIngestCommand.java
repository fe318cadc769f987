package io.edgesync.cli.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.model.Rejection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code edgesync agent ingest}: JSON lines from stdin into the local store. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Reads one JSON record per line from stdin and stores the valid ones in the agent's database "
            + "(validated like the gateway; a record without an id gets one). Each refused line is reported on "
            + "stderr as 'line N: code: reason' and not stored. Prints stored= and refused=; exit 1 if any "
            + "line was refused, 3 if the store is full (reject-new).")
final class AgentIngestCommand implements Callable<Integer> {
    static final int BATCH = 1000;

    @Mixin
    AgentOptions options;

    @Override
    public Integer call() throws IOException {
        AgentConfig config = options.load();
        long stored = 0;
        long refused = 0;
        try (EdgeAgent agent = EdgeAgent.attach(config);
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            List<JsonNode> batch = new ArrayList<>(BATCH);
            List<Long> lineNumbers = new ArrayList<>(BATCH);
            long lineNo = 0;
            for (String line = in.readLine(); ; line = in.readLine()) {
                if (line != null) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode node = parse(line);
                    if (node == null) {
                        System.err.println("line " + lineNo + ": malformed_body: not a JSON object");
                        refused++;
                        continue;
                    }
                    batch.add(node);
                    lineNumbers.add(lineNo);
                }
                if (batch.size() >= BATCH || (line == null && !batch.isEmpty())) {
                    List<Rejection> rejections;
                    try {
                        rejections = agent.submitEach(batch);
                    } catch (ApiException e) {
                        System.err.println("error: " + e.getMessage());
                        System.out.println("stored=" + stored);
                        return 3;
                    }
                    for (Rejection r : rejections) {
                        System.err.println("line " + lineNumbers.get(r.index()) + ": " + r.code() + ": " + r.message());
                    }
                    stored += batch.size() - rejections.size();
                    refused += rejections.size();
                    batch.clear();
                    lineNumbers.clear();
                }
                if (line == null) {
                    break;
                }
            }
        }
        System.out.println("stored=" + stored);
        System.out.println("refused=" + refused);
        return refused > 0 ? 1 : 0;
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode node = Json.mapper().readTree(line);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }
}
