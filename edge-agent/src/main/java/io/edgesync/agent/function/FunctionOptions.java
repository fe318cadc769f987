package io.edgesync.agent.function;

import java.util.Objects;

/**
 * How the agent runs its edge functions: the limits of one call, what becomes of a reading a function
 * fails on, and the largest module it downloads.
 *
 * @param onFailure      {@code keep}: the reading is stored as it came in, flagged in
 *                       {@code metadata.edgeFunctionError}; {@code reject}: it is not stored (counted)
 * @param maxModuleBytes a download larger than this is refused before it is hashed
 */
public record FunctionOptions(FunctionLimits limits, OnFailure onFailure, long maxModuleBytes) {
    /** What becomes of a reading when a function traps, times out or answers invalid output. */
    public enum OnFailure { KEEP, REJECT }

    public static final FunctionOptions DEFAULT = new FunctionOptions(FunctionLimits.DEFAULT, OnFailure.KEEP,
            16L * 1024 * 1024);

    public FunctionOptions {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(onFailure, "onFailure");
        if (maxModuleBytes < 8) {
            throw new IllegalArgumentException("maxModuleBytes must be >= 8");
        }
    }
}
