package io.edgesync.agent.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.agent.cloud.CommandHandler;
import io.edgesync.shared.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunFunctionCommandTest {
    private static final FunctionLimits LIMITS = new FunctionLimits(Duration.ofSeconds(10), 16);
    private final List<EdgeFunctions.Active> deployed = new ArrayList<>();
    private final FunctionStats stats = new FunctionStats();
    private final RunFunctionCommand command = new RunFunctionCommand(() -> deployed, stats);

    @AfterEach
    void close() {
        deployed.forEach(a -> a.runtime().close());
    }

    private void deploy(String name, FunctionLimits limits) throws Exception {
        deployed.add(new EdgeFunctions.Active("id-" + name, name, "1.0.0",
                FunctionRuntime.load(name, FunctionRuntimeTest.module(name), limits)));
    }

    private static JsonNode json(String s) throws Exception {
        return Json.mapper().readTree(s);
    }

    @Test
    void theOutputOfTheNamedFunctionOnThePayloadsInputIsTheResultAsJson() throws Exception {
        // GIVEN tag and identity deployed
        deploy("identity", LIMITS);
        deploy("tag", LIMITS);
        // WHEN run-function names tag with an input
        CommandHandler.Outcome out = command.handle(json(
                "{\"function\":\"tag\",\"input\":{\"sensorId\":\"s1\",\"value\":2.5}}"));
        // THEN the result is tag's output for that input, as JSON
        assertTrue(out.executed(), out.result());
        assertEquals(json("[{\"metadata\":{\"edgeFn\":\"tag\"},\"sensorId\":\"s1\",\"value\":2.5}]"),
                json(out.result()));
        assertTrue(command.jsonResult());
        assertEquals(1, stats.calls());
    }

    @Test
    void anUnknownFunctionOrABadPayloadFailsNamingWhy() throws Exception {
        deploy("identity", LIMITS);
        CommandHandler.Outcome unknown = command.handle(json("{\"function\":\"scale\",\"input\":{}}"));
        assertFalse(unknown.executed());
        assertEquals("no function 'scale' is deployed on this device; deployed: [identity]", unknown.result());
        for (String bad : new String[] {"{\"input\":{}}", "{\"function\":\"identity\"}", "[1]",
                "{\"function\":7,\"input\":{}}"}) {
            CommandHandler.Outcome r = command.handle(json(bad));
            assertFalse(r.executed(), bad);
            assertTrue(r.result().startsWith("payload must be {\"function\""), r.result());
        }
        assertFalse(command.handle(null).executed());
        assertEquals(0, stats.calls());
    }

    @Test
    void aLoopingTrappingOrGarbageFunctionFailsTheCommandCountedByKind() throws Exception {
        // GIVEN a looping function under a short limit, a trapping one and one answering "nope"
        deploy("loop", new FunctionLimits(Duration.ofMillis(300), 16));
        deploy("trap", LIMITS);
        deploy("garbage", LIMITS);
        // WHEN each is run by a command
        CommandHandler.Outcome loop = command.handle(json("{\"function\":\"loop\",\"input\":{}}"));
        CommandHandler.Outcome trap = command.handle(json("{\"function\":\"trap\",\"input\":{}}"));
        CommandHandler.Outcome garbage = command.handle(json("{\"function\":\"garbage\",\"input\":[1,2]}"));
        // THEN each fails with its kind, is counted, and the function still answers afterwards
        assertFalse(loop.executed());
        assertTrue(loop.result().startsWith("timeout: "), loop.result());
        assertTrue(trap.result().startsWith("trap: "), trap.result());
        assertEquals("invalid_output: output is not JSON", garbage.result());
        assertEquals(1, stats.failures(FunctionException.Kind.TIMEOUT));
        assertEquals(1, stats.failures(FunctionException.Kind.TRAP));
        assertEquals(1, stats.failures(FunctionException.Kind.INVALID_OUTPUT));
        assertEquals(0, stats.keptFlagged() + stats.rejected(), "no reading was involved");
    }
}
