package io.edgesync.agent.function;

import com.dylibso.chicory.wasm.WasmModule;
import io.edgesync.shared.function.EdgeAbi;
import java.util.Optional;

/**
 * Checks a parsed module against the edge ABI ({@link EdgeAbi}, the dispatcher's upload check too) and
 * its initial memory against the limit.
 */
final class AbiCheck {
    private AbiCheck() {
    }

    static void check(WasmModule module, FunctionLimits limits) throws FunctionException {
        Optional<String> violation = EdgeAbi.violation(module);
        if (violation.isPresent()) {
            throw new FunctionException(FunctionException.Kind.INVALID_MODULE, violation.get(), null);
        }
        int initial = module.memorySection().map(s -> s.getMemory(0).limits().initialPages()).orElse(0);
        if (initial > limits.maxMemoryPages()) {
            throw new FunctionException(FunctionException.Kind.MEMORY_LIMIT, "module needs " + initial
                    + " memory pages at start, limit is " + limits.maxMemoryPages(), null);
        }
    }
}
