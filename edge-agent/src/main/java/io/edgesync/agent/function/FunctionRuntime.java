package io.edgesync.agent.function;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One loaded edge function, run by Chicory (pure-Java WebAssembly interpreter) under the edge ABI
 * (docs/edge-agent.md): the module exports {@code memory}, {@code alloc(i32 len) -> i32 ptr} and
 * {@code process(i32 ptr, i32 len) -> i64}, the result packing {@code (ptr << 32) | len} of a UTF-8
 * JSON array of zero or more readings. The module may import nothing (no WASI, no host access).
 * Each call runs on this function's own thread and is interrupted at {@link FunctionLimits#timePerCall()}
 * (Chicory checks the thread's interrupt flag in loops and calls, so an infinite loop stops); memory
 * can grow to {@link FunctionLimits#maxMemoryPages()} only. After a trap or timeout the instance is
 * discarded and a fresh one serves the next call, so one bad input never poisons later ones.
 */
public final class FunctionRuntime implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final WasmModule module;
    private final FunctionLimits limits;
    private final ExecutorService thread;
    private final AtomicBoolean running = new AtomicBoolean();
    private Instance instance;

    private FunctionRuntime(String name, WasmModule module, FunctionLimits limits) {
        this.name = name;
        this.module = module;
        this.limits = limits;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "edge-function-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Parses and checks {@code wasm} against the ABI; refuses a module that imports anything or lacks an export. */
    public static FunctionRuntime load(String name, byte[] wasm, FunctionLimits limits) throws FunctionException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(limits, "limits");
        WasmModule module;
        try {
            module = Parser.parse(wasm);
        } catch (RuntimeException e) {
            throw new FunctionException(FunctionException.Kind.INVALID_MODULE, "not a WebAssembly module: " + e.getMessage(), e);
        }
        AbiCheck.check(module, limits);
        FunctionRuntime rt = new FunctionRuntime(name, module, limits);
        try {
            rt.instance = rt.newInstance();
        } catch (RuntimeException e) {
            rt.close();
            throw new FunctionException(FunctionException.Kind.INVALID_MODULE, "module does not instantiate: " + e.getMessage(), e);
        }
        return rt;
    }

    public String name() {
        return name;
    }

    private Instance newInstance() {
        int initial = module.memorySection().map(s -> s.getMemory(0).limits().initialPages()).orElse(0);
        return Instance.builder(module).withMemoryLimits(new MemoryLimits(initial, limits.maxMemoryPages())).build();
    }

    /** Runs the function on one reading; returns the readings it produced (possibly none). */
    public synchronized List<ObjectNode> process(ObjectNode reading) throws FunctionException {
        byte[] input;
        try {
            input = JSON.writeValueAsBytes(reading);
        } catch (Exception e) {
            throw new FunctionException(FunctionException.Kind.INVALID_OUTPUT, "reading does not serialise", e);
        }
        String out = callRaw(input);
        return parseOutput(out);
    }

    /** Runs the function on raw JSON input bytes and returns its raw output, within the limits. */
    public synchronized String callRaw(byte[] input) throws FunctionException {
        if (instance == null) {
            instance = newInstance();
        }
        Instance inst = instance;
        Future<String> f = thread.submit(() -> invoke(inst, input));
        try {
            return f.get(limits.timePerCall().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            instance = null;
            throw new FunctionException(FunctionException.Kind.TIMEOUT,
                    "function '" + name + "' exceeded " + limits.timePerCall().toMillis() + " ms", null);
        } catch (InterruptedException e) {
            f.cancel(true);
            instance = null;
            Thread.currentThread().interrupt();
            throw new FunctionException(FunctionException.Kind.TIMEOUT, "interrupted", e);
        } catch (ExecutionException e) {
            instance = null;
            Throwable c = e.getCause();
            if (c instanceof FunctionException fe) {
                throw fe;
            }
            throw new FunctionException(FunctionException.Kind.TRAP, "function '" + name + "' trapped: " + c, c);
        }
    }

    /** True while the function's thread is inside WebAssembly code (a stopped loop leaves it false). */
    boolean running() {
        return running.get();
    }

    private String invoke(Instance inst, byte[] input) throws FunctionException {
        running.set(true);
        try {
            ExportFunction alloc = inst.export("alloc");
            ExportFunction process = inst.export("process");
            int ptr = (int) alloc.apply(input.length)[0];
            checkRange(inst, ptr, input.length, "alloc");
            inst.memory().write(ptr, input);
            long packed = process.apply(ptr, input.length)[0];
            int outPtr = (int) (packed >>> 32);
            int outLen = (int) packed;
            checkRange(inst, outPtr, outLen, "process");
            return new String(inst.memory().readBytes(outPtr, outLen), StandardCharsets.UTF_8);
        } catch (ChicoryInterruptedException e) {
            throw new FunctionException(FunctionException.Kind.TIMEOUT, "function '" + name + "' interrupted", e);
        } finally {
            running.set(false);
        }
    }

    private void checkRange(Instance inst, int ptr, int len, String what) throws FunctionException {
        long end = Integer.toUnsignedLong(ptr) + Integer.toUnsignedLong(len);
        if (ptr < 0 || len < 0 || end > (long) inst.memory().pages() * 65536L) {
            throw new FunctionException(FunctionException.Kind.INVALID_OUTPUT,
                    "function '" + name + "' " + what + " returned a range outside its memory", null);
        }
    }

    static List<ObjectNode> parseOutput(String out) throws FunctionException {
        JsonNode node;
        try {
            node = JSON.readTree(out);
        } catch (Exception e) {
            throw new FunctionException(FunctionException.Kind.INVALID_OUTPUT, "output is not JSON", null);
        }
        if (node == null || !node.isArray()) {
            throw new FunctionException(FunctionException.Kind.INVALID_OUTPUT, "output is not a JSON array", null);
        }
        List<ObjectNode> readings = new ArrayList<>(node.size());
        for (JsonNode n : node) {
            if (!(n instanceof ObjectNode o)) {
                throw new FunctionException(FunctionException.Kind.INVALID_OUTPUT, "output array holds a non-object", null);
            }
            readings.add(o);
        }
        return readings;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
