package io.edgesync.shared.function;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExportSection;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The edge function ABI (docs/edge-agent.md#abi) checked on a parsed module, once for the dispatcher
 * (an upload) and the agent (a load), so both refuse the same modules: the module imports nothing and
 * exports memory {@code memory}, {@code alloc (i32) -> i32} and {@code process (i32, i32) -> i64}.
 */
public final class EdgeAbi {
    private static final FunctionType ALLOC = FunctionType.of(List.of(ValType.I32), List.of(ValType.I32));
    private static final FunctionType PROCESS = FunctionType.of(List.of(ValType.I32, ValType.I32),
            List.of(ValType.I64));

    private EdgeAbi() {
    }

    /** What makes {@code module} break the ABI, or empty when it follows it. */
    public static Optional<String> violation(WasmModule module) {
        if (module.importSection().importCount() > 0) {
            return Optional.of("module imports " + module.importSection().getImport(0).module() + "."
                    + module.importSection().getImport(0).name() + "; edge functions may import nothing");
        }
        Optional<String> missing = missing(module, "memory", ExternalType.MEMORY)
                .or(() -> missing(module, "alloc", ExternalType.FUNCTION))
                .or(() -> missing(module, "process", ExternalType.FUNCTION));
        if (missing.isPresent()) {
            return missing;
        }
        return signature(module, "alloc", ALLOC, "(i32) -> i32")
                .or(() -> signature(module, "process", PROCESS, "(i32, i32) -> i64"));
    }

    private static Optional<Export> export(WasmModule module, String name) {
        ExportSection section = module.exportSection();
        for (int i = 0; section != null && i < section.exportCount(); i++) {
            if (section.getExport(i).name().equals(name)) {
                return Optional.of(section.getExport(i));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> missing(WasmModule module, String name, ExternalType type) {
        return export(module, name).filter(e -> e.exportType() == type).isPresent() ? Optional.empty()
                : Optional.of("module does not export " + type.name().toLowerCase(Locale.ROOT) + " '" + name
                        + "' (the edge ABI needs memory 'memory', functions 'alloc' and 'process')");
    }

    private static Optional<String> signature(WasmModule module, String name, FunctionType expected, String shown) {
        Export e = export(module, name).orElseThrow();
        // no imports (checked first), so the export's index is the index in the function section
        FunctionType actual = module.functionSection().getFunctionType(e.index(), module.typeSection());
        return actual.paramsMatch(expected) && actual.returnsMatch(expected) ? Optional.empty()
                : Optional.of("export '" + name + "' is " + shown(actual) + "; the edge ABI needs " + shown);
    }

    /** As the docs write signatures: {@code (i32, i32) -> i64}. */
    private static String shown(FunctionType type) {
        String params = "(" + String.join(", ", type.params().stream().map(EdgeAbi::shown).toList()) + ")";
        List<String> returns = type.returns().stream().map(EdgeAbi::shown).toList();
        return params + " -> " + (returns.size() == 1 ? returns.get(0) : "(" + String.join(", ", returns) + ")");
    }

    private static String shown(ValType type) {
        return type.toString().toLowerCase(Locale.ROOT);
    }
}
