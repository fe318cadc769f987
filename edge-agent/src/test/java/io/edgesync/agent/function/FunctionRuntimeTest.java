package io.edgesync.agent.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionRuntimeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Generous: only the loop test is about the time limit, and a loaded machine slows a cold first call. */
    private static final FunctionLimits LIMITS = new FunctionLimits(Duration.ofSeconds(10), 16);
    private static final FunctionLimits SHORT = new FunctionLimits(Duration.ofMillis(300), 16);

    static byte[] module(String name) throws IOException {
        try (InputStream in = FunctionRuntimeTest.class.getResourceAsStream("/functions/" + name + ".wasm")) {
            return in.readAllBytes();
        }
    }

    private static ObjectNode reading() throws IOException {
        return (ObjectNode) JSON.readTree("{\"deviceId\":\"d1\",\"metric\":\"temp\",\"value\":21.5}");
    }

    @Test
    void identityReturnsTheReadingAsAOneElementArray() throws Exception {
        try (FunctionRuntime rt = FunctionRuntime.load("identity", module("identity"), LIMITS)) {
            List<ObjectNode> out = rt.process(reading());
            assertEquals(List.of(reading()), out);
        }
    }

    @Test
    void tagEnrichesAReadingWithoutMetadata() throws Exception {
        try (FunctionRuntime rt = FunctionRuntime.load("tag", module("tag"), LIMITS)) {
            ObjectNode expected = reading();
            expected.putObject("metadata").put("edgeFn", "tag");
            assertEquals(List.of(expected), rt.process(reading()));
        }
    }

    @Test
    void tagKeepsExistingMetadataAndAddsItsMember() throws Exception {
        try (FunctionRuntime rt = FunctionRuntime.load("tag", module("tag"), LIMITS)) {
            ObjectNode in = reading();
            in.putObject("metadata").put("site", "north");
            ObjectNode out = rt.process(in).get(0);
            assertEquals("tag", out.path("metadata").path("edgeFn").asText());
            assertEquals("north", out.path("metadata").path("site").asText());
            ObjectNode empty = reading();
            empty.putObject("metadata");
            assertEquals("{\"edgeFn\":\"tag\"}", rt.process(empty).get(0).get("metadata").toString());
        }
    }

    @Test
    void filterDropsDebugReadingsAndPassesOthers() throws Exception {
        try (FunctionRuntime rt = FunctionRuntime.load("filter", module("filter"), LIMITS)) {
            ObjectNode debug = reading();
            debug.put("dataType", "debug");
            assertEquals(List.of(), rt.process(debug));
            ObjectNode temp = reading();
            temp.put("dataType", "temperature");
            assertEquals(List.of(temp), rt.process(temp));
        }
    }

    @Test
    void largeInputGrowsMemoryWithinTheLimit() throws Exception {
        try (FunctionRuntime rt = FunctionRuntime.load("identity", module("identity"), LIMITS)) {
            ObjectNode big = reading();
            big.put("blob", "x".repeat(200_000));
            assertEquals(List.of(big), rt.process(big));
        }
    }

    @Test
    void trapIsContainedAndTheFunctionStaysUsable() throws Exception {
        try (FunctionRuntime rt = FunctionRuntime.load("trap", module("trap"), LIMITS)) {
            FunctionException e = assertThrows(FunctionException.class, () -> rt.process(reading()));
            assertEquals(FunctionException.Kind.TRAP, e.kind());
            FunctionException again = assertThrows(FunctionException.class, () -> rt.process(reading()));
            assertEquals(FunctionException.Kind.TRAP, again.kind());
        }
    }

    @Test
    void infiniteLoopIsStoppedAtTheTimeLimit() throws Exception {
        try (FunctionRuntime rt = FunctionRuntime.load("loop", module("loop"), SHORT)) {
            long t0 = System.nanoTime();
            FunctionException e = assertThrows(FunctionException.class, () -> rt.process(reading()));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(FunctionException.Kind.TIMEOUT, e.kind());
            assertTrue(ms < 5_000, "stopped after " + ms + " ms");
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (rt.running() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(!rt.running(), "the interpreter left the loop after the interrupt");
            // a second call also times out (the first machine really stopped; the executor thread is free)
            FunctionException again = assertThrows(FunctionException.class, () -> rt.process(reading()));
            assertEquals(FunctionException.Kind.TIMEOUT, again.kind());
        }
    }

    @Test
    void memoryGrowthBeyondTheLimitIsRefused() throws Exception {
        try (FunctionRuntime rt = FunctionRuntime.load("grow", module("grow"), LIMITS)) {
            FunctionException e = assertThrows(FunctionException.class, () -> rt.process(reading()));
            assertEquals(FunctionException.Kind.TRAP, e.kind());
        }
        // with room for the 1000 pages it asks for, the same module runs (returns an empty output range)
        try (FunctionRuntime rt = FunctionRuntime.load("grow", module("grow"), new FunctionLimits(Duration.ofSeconds(5), 2000))) {
            assertThrows(FunctionException.class, () -> rt.process(reading()), "empty output is not a JSON array");
        }
    }

    @Test
    void outputThatIsNotAJsonArrayIsInvalid() throws Exception {
        try (FunctionRuntime rt = FunctionRuntime.load("garbage", module("garbage"), LIMITS)) {
            FunctionException e = assertThrows(FunctionException.class, () -> rt.process(reading()));
            assertEquals(FunctionException.Kind.INVALID_OUTPUT, e.kind());
        }
    }

    @Test
    void moduleWithImportsOrNotWasmIsRefusedAtLoad() throws Exception {
        FunctionException imp = assertThrows(FunctionException.class,
                () -> FunctionRuntime.load("importer", module("importer"), LIMITS));
        assertEquals(FunctionException.Kind.INVALID_MODULE, imp.kind());
        FunctionException sig = assertThrows(FunctionException.class,
                () -> FunctionRuntime.load("wrongsig", module("wrongsig"), LIMITS));
        assertEquals(FunctionException.Kind.INVALID_MODULE, sig.kind());
        assertTrue(sig.getMessage().contains("the edge ABI needs (i32, i32) -> i64"), sig.getMessage());
        FunctionException junk = assertThrows(FunctionException.class,
                () -> FunctionRuntime.load("junk", "not wasm".getBytes(), LIMITS));
        assertEquals(FunctionException.Kind.INVALID_MODULE, junk.kind());
    }
}
