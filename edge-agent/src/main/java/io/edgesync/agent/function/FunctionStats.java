package io.edgesync.agent.function;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts of function calls and failures since the agent started, by {@link FunctionException.Kind}
 * (a bounded set, so it can tag a meter), and of readings kept flagged or rejected after a failure.
 */
public final class FunctionStats {
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong kept = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final Map<FunctionException.Kind, AtomicLong> failures = new EnumMap<>(FunctionException.Kind.class);

    public FunctionStats() {
        for (FunctionException.Kind k : FunctionException.Kind.values()) {
            failures.put(k, new AtomicLong());
        }
    }

    void called() {
        calls.incrementAndGet();
    }

    void failed(FunctionException.Kind kind, FunctionOptions.OnFailure outcome) {
        failures.get(kind).incrementAndGet();
        (outcome == FunctionOptions.OnFailure.KEEP ? kept : rejected).incrementAndGet();
    }

    /** A {@code run-function} command's call failed: counted by kind, no reading involved. */
    void commandFailed(FunctionException.Kind kind) {
        failures.get(kind).incrementAndGet();
    }

    public long calls() {
        return calls.get();
    }

    public long failures(FunctionException.Kind kind) {
        return failures.get(kind).get();
    }

    public long failures() {
        return failures.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Readings stored unchanged, flagged, after a function failed on them. */
    public long keptFlagged() {
        return kept.get();
    }

    /** Readings not stored because a function failed on them (on-failure reject). */
    public long rejected() {
        return rejected.get();
    }
}
