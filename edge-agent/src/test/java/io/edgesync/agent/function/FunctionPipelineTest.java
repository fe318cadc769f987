package io.edgesync.agent.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.model.TelemetryRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FunctionPipelineTest {
    /** Generous except for the loop: a loaded machine slows a cold first call. */
    private static final FunctionLimits LIMITS = new FunctionLimits(Duration.ofSeconds(10), 16);
    private static final FunctionLimits SHORT = new FunctionLimits(Duration.ofMillis(200), 16);
    private final List<EdgeFunctions.Active> opened = new ArrayList<>();

    private EdgeFunctions.Active fn(String name) throws Exception {
        EdgeFunctions.Active a = new EdgeFunctions.Active("id-" + name, name, "1.0.0",
                FunctionRuntime.load(name, FunctionRuntimeTest.module(name), name.equals("loop") ? SHORT : LIMITS));
        opened.add(a);
        return a;
    }

    @AfterEach
    void close() {
        opened.forEach(a -> a.runtime().close());
    }

    private static TelemetryRecord reading(String id, String dataType) {
        return new TelemetryRecord(id, "dev-1", "s1", 1_700_000_000_000L, dataType, 21.5, "C", null, 1, null, null);
    }

    private static FunctionPipeline pipeline(FunctionOptions.OnFailure onFailure, EdgeFunctions.Active... chain) {
        return new FunctionPipeline(() -> List.of(chain), onFailure, new FunctionStats(), "dev-1");
    }

    @Test
    void withoutFunctionsReadingsPassUntouched() {
        FunctionPipeline p = new FunctionPipeline(List::of, FunctionOptions.OnFailure.KEEP, new FunctionStats(), "dev-1");
        List<TelemetryRecord> in = List.of(reading("r1", "temp"));
        assertEquals(in, p.apply(in));
        assertEquals(0, p.stats().calls());
    }

    @Test
    void functionsApplyInOrderAndEachOutputFeedsTheNext() throws Exception {
        // GIVEN filter then tag
        FunctionPipeline p = pipeline(FunctionOptions.OnFailure.KEEP, fn("filter"), fn("tag"));
        // WHEN a debug reading and a temperature reading pass
        List<TelemetryRecord> out = p.apply(List.of(reading("r1", "debug"), reading("r2", "temp")));
        // THEN the debug one is dropped and the other is enriched, everything else unchanged
        assertEquals(1, out.size(), out.toString());
        TelemetryRecord r = out.get(0);
        assertEquals("r2", r.id());
        assertEquals("tag", r.metadata().path("edgeFn").asText());
        assertEquals(21.5, r.value());
        assertEquals("dev-1", r.deviceId());
        assertEquals(3, p.stats().calls(), "filter twice, tag once");
        assertEquals(0, p.stats().failures());
    }

    @Test
    void aTrapKeepsTheRawReadingFlaggedAndIsCounted() throws Exception {
        FunctionPipeline p = pipeline(FunctionOptions.OnFailure.KEEP, fn("tag"), fn("trap"));
        List<TelemetryRecord> out = p.apply(List.of(reading("r1", "temp")));
        assertEquals(1, out.size());
        ObjectNode flag = (ObjectNode) out.get(0).metadata().get(FunctionPipeline.ERROR_FLAG);
        assertEquals("trap", flag.path("function").asText());
        assertEquals("trap", flag.path("kind").asText());
        assertFalse(out.get(0).metadata().has("edgeFn"), "the raw reading, not tag's output, is kept");
        assertEquals(1, p.stats().failures(FunctionException.Kind.TRAP));
        assertEquals(1, p.stats().keptFlagged());
    }

    @Test
    void anEndlessLoopTimesOutAndTheNextReadingIsStillProcessed() throws Exception {
        FunctionPipeline p = pipeline(FunctionOptions.OnFailure.KEEP, fn("loop"));
        List<TelemetryRecord> out = p.apply(List.of(reading("r1", "temp"), reading("r2", "temp")));
        assertEquals(List.of("r1", "r2"), out.stream().map(TelemetryRecord::id).toList());
        assertEquals("timeout", out.get(1).metadata().path(FunctionPipeline.ERROR_FLAG).path("kind").asText());
        assertEquals(2, p.stats().failures(FunctionException.Kind.TIMEOUT));
    }

    @Test
    void invalidOutputUnderRejectIsNotStoredAndIsCounted() throws Exception {
        FunctionPipeline p = pipeline(FunctionOptions.OnFailure.REJECT, fn("garbage"));
        assertEquals(List.of(), p.apply(List.of(reading("r1", "temp"))));
        assertEquals(1, p.stats().failures(FunctionException.Kind.INVALID_OUTPUT));
        assertEquals(1, p.stats().rejected());
    }

    @Test
    void existingMetadataIsKeptBesideTheFlag() throws Exception {
        FunctionPipeline p = pipeline(FunctionOptions.OnFailure.KEEP, fn("trap"));
        ObjectNode meta = Json.mapper().createObjectNode().put("site", "north");
        TelemetryRecord r = new TelemetryRecord("r1", "dev-1", "s1", 1L, "temp", 1.0, null, meta, 1, null, null);
        TelemetryRecord out = p.apply(List.of(r)).get(0);
        assertEquals("north", out.metadata().path("site").asText());
        assertTrue(out.metadata().has(FunctionPipeline.ERROR_FLAG));
        assertNull(r.metadata().get(FunctionPipeline.ERROR_FLAG), "the input record is not modified");
    }
}
