package io.edgesync.agent.function;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a parsed module against the edge ABI: no imports; exports memory, {@code alloc (i32) -> i32} and
 * {@code process (i32, i32) -> i64}; initial memory within the limit.
 */
final class AbiCheck {
    private AbiCheck() {
    }

    static void check(WasmModule module, FunctionLimits limits) throws FunctionException {
        if (module.importSection().importCount() > 0) {
            throw invalid("module imports " + module.importSection().getImport(0).module() + "."
                    + module.importSection().getImport(0).name() + "; edge functions may import nothing");
        }
        Set<String> exports = new HashSet<>();
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            Export e = module.exportSection().getExport(i);
            exports.add(e.exportType() + ":" + e.name());
        }
        require(exports, ExternalType.MEMORY, "memory");
        require(exports, ExternalType.FUNCTION, "alloc");
        require(exports, ExternalType.FUNCTION, "process");
        signature(module, "alloc", FunctionType.of(List.of(ValType.I32), List.of(ValType.I32)), "(i32) -> i32");
        signature(module, "process", FunctionType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I64)),
                "(i32, i32) -> i64");
        int initial = module.memorySection().map(s -> s.getMemory(0).limits().initialPages()).orElse(0);
        if (initial > limits.maxMemoryPages()) {
            throw new FunctionException(FunctionException.Kind.MEMORY_LIMIT, "module needs " + initial
                    + " memory pages at start, limit is " + limits.maxMemoryPages(), null);
        }
    }

    private static void require(Set<String> exports, ExternalType type, String name) throws FunctionException {
        if (!exports.contains(type + ":" + name)) {
            throw invalid("module does not export " + type.name().toLowerCase() + " '" + name + "'");
        }
    }

    private static void signature(WasmModule module, String name, FunctionType expected, String shown)
            throws FunctionException {
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            Export e = module.exportSection().getExport(i);
            if (e.exportType() == ExternalType.FUNCTION && e.name().equals(name)) {
                FunctionType actual = module.functionSection().getFunctionType(e.index(), module.typeSection());
                if (!actual.paramsMatch(expected) || !actual.returnsMatch(expected)) {
                    throw invalid("export '" + name + "' is " + actual + "; the edge ABI needs " + shown);
                }
            }
        }
    }

    private static FunctionException invalid(String msg) {
        return new FunctionException(FunctionException.Kind.INVALID_MODULE, msg, null);
    }
}
