package io.edgesync.agent.function;

import java.time.Duration;
import java.util.Objects;

/** The limits one edge function runs under: wall-clock time per call and linear memory in 64 KiB pages. */
public record FunctionLimits(Duration timePerCall, int maxMemoryPages) {
    public static final FunctionLimits DEFAULT = new FunctionLimits(Duration.ofMillis(500), 256);

    public FunctionLimits {
        Objects.requireNonNull(timePerCall, "timePerCall");
        if (timePerCall.isNegative() || timePerCall.isZero()) {
            throw new IllegalArgumentException("timePerCall must be positive");
        }
        if (maxMemoryPages < 1 || maxMemoryPages > 65536) {
            throw new IllegalArgumentException("maxMemoryPages must be 1..65536");
        }
    }
}
