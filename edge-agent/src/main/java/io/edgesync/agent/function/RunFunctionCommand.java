package io.edgesync.agent.function;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.agent.cloud.CommandHandler;
import io.edgesync.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code run-function} command: calls a function deployed on this device, by name, with the
 * payload's {@code input} (any JSON, handed to {@code process} as compact UTF-8 JSON) and answers the
 * function's output, which must be JSON of at most {@link #MAX_OUTPUT_BYTES}, as the acknowledgement's
 * result. The call runs under the function's limits and on its instance, like a reading's; nothing is
 * stored. An unknown function, a bad payload, a trap, a timeout or output that is not JSON fails the
 * command with the reason (failures counted by kind, like the readings').
 */
public final class RunFunctionCommand implements CommandHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RunFunctionCommand.class);
    public static final String TYPE = "run-function";
    /** The largest output answered: well under the dispatcher's 1 MiB request limit for the ack. */
    public static final int MAX_OUTPUT_BYTES = 256 * 1024;

    private final Supplier<List<EdgeFunctions.Active>> functions;
    private final FunctionStats stats;

    public RunFunctionCommand(Supplier<List<EdgeFunctions.Active>> functions, FunctionStats stats) {
        this.functions = Objects.requireNonNull(functions);
        this.stats = Objects.requireNonNull(stats);
    }

    @Override
    public boolean jsonResult() {
        return true;
    }

    @Override
    public Outcome handle(JsonNode payload) {
        if (payload == null || !payload.isObject() || !payload.path("function").isTextual()
                || !payload.has("input")) {
            return Outcome.failed("payload must be {\"function\": \"<deployed function name>\", \"input\": <JSON>}");
        }
        String name = payload.path("function").asText();
        List<EdgeFunctions.Active> deployed = functions.get();
        EdgeFunctions.Active fn = deployed.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        if (fn == null) {
            return Outcome.failed("no function '" + name + "' is deployed on this device; deployed: "
                    + deployed.stream().map(EdgeFunctions.Active::name).toList());
        }
        stats.called();
        try {
            String output = fn.runtime().callRaw(Json.toBytes(payload.get("input")));
            JsonNode result = parse(fn, output);
            LOG.info("event=function_command function={} version={} outcome=executed output_bytes={}", fn.name(),
                    fn.version(), output.length());
            return Outcome.executed(result.toString());
        } catch (FunctionException e) {
            stats.commandFailed(e.kind());
            String kind = e.kind().name().toLowerCase(Locale.ROOT);
            LOG.warn("event=function_command function={} version={} outcome=failed kind={} reason=\"{}\"", fn.name(),
                    fn.version(), kind, e.getMessage());
            return Outcome.failed(kind + ": " + e.getMessage());
        }
    }

    private static JsonNode parse(EdgeFunctions.Active fn, String output) throws FunctionException {
        int bytes = output.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_OUTPUT_BYTES) {
            throw new FunctionException(FunctionException.Kind.INVALID_OUTPUT, "function '" + fn.name() + "' answered "
                    + bytes + " bytes, more than the " + MAX_OUTPUT_BYTES + " a command result may hold", null);
        }
        try {
            JsonNode node = Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(output);
            if (node == null || node.isMissingNode()) {
                throw new FunctionException(FunctionException.Kind.INVALID_OUTPUT, "output is empty", null);
            }
            return node;
        } catch (java.io.IOException e) {
            throw new FunctionException(FunctionException.Kind.INVALID_OUTPUT, "output is not JSON", null);
        }
    }
}
