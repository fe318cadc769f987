package io.edgesync.dispatcher.function;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExportSection;
import com.dylibso.chicory.wasm.types.ExternalType;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import java.util.HashMap;
import java.util.Map;

/**
 * An upload is a function only if it is a WebAssembly binary module (magic {@code \0asm}, version 1),
 * parses (Chicory's parser), and exports what the edge ABI needs: memory {@code memory}, functions
 * {@code alloc} and {@code process}. Anything else is 400 {@code invalid_request} naming the problem.
 */
public final class WasmCheck {
    private static final byte[] MAGIC = {0x00, 0x61, 0x73, 0x6d};
    private static final byte[] VERSION = {0x01, 0x00, 0x00, 0x00};

    private WasmCheck() {
    }

    public static void check(byte[] bytes) {
        if (bytes.length < 8 || !startsWith(bytes, MAGIC, 0)) {
            throw invalid("is not a WebAssembly module (no \\0asm magic)");
        }
        if (!startsWith(bytes, VERSION, 4)) {
            throw invalid("is a WebAssembly module of an unsupported version (only version 1)");
        }
        WasmModule module;
        try {
            module = Parser.parse(bytes);
        } catch (RuntimeException e) {
            throw invalid("does not parse as WebAssembly: " + e.getMessage());
        }
        Map<String, ExternalType> exports = new HashMap<>();
        ExportSection section = module.exportSection();
        for (int i = 0; section != null && i < section.exportCount(); i++) {
            Export e = section.getExport(i);
            exports.put(e.name(), e.exportType());
        }
        require(exports, "memory", ExternalType.MEMORY);
        require(exports, "alloc", ExternalType.FUNCTION);
        require(exports, "process", ExternalType.FUNCTION);
    }

    private static void require(Map<String, ExternalType> exports, String name, ExternalType type) {
        if (exports.get(name) != type) {
            throw invalid("does not export " + type.name().toLowerCase(java.util.Locale.ROOT) + " '" + name
                    + "' (the edge ABI needs memory 'memory', functions 'alloc' and 'process')");
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix, int at) {
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static ApiException invalid(String problem) {
        return new ApiException(ErrorCode.INVALID_REQUEST, "file " + problem, Map.of("field", "file"), null);
    }
}
