package io.edgesync.dispatcher.function;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.function.EdgeAbi;
import java.util.Map;

/**
 * An upload is a function only if it is a WebAssembly binary module (magic {@code \0asm}, version 1),
 * parses (Chicory's parser), and follows the edge ABI ({@link EdgeAbi}: no imports, memory {@code memory},
 * {@code alloc (i32) -> i32}, {@code process (i32, i32) -> i64}), as the agent checks at load. Anything else
 * is 400 {@code invalid_request} naming the problem.
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
        EdgeAbi.violation(module).ifPresent(problem -> {
            throw invalid("breaks the edge ABI: " + problem);
        });
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
