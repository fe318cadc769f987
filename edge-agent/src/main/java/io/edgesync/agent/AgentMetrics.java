package io.edgesync.agent;

import io.edgesync.agent.function.FunctionException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * The agent's meters, read from the store when scraped: records by sync status (a bounded tag),
 * unsynced records dropped under drop-oldest (a counter, {@code edgesync_agent_records_dropped_total},
 * kept in the store across restarts), whether uploads are stopped by a 401/403, and edge function
 * calls and failures by kind ({@code edgesync_agent_function_failures_total{kind}}, since start).
 */
public final class AgentMetrics {
    public static final String RECORDS = "edgesync.agent.records";
    public static final String DROPPED = "edgesync.agent.records.dropped";
    public static final String SYNC_STOPPED = "edgesync.agent.sync.stopped";
    public static final String FUNCTION_CALLS = "edgesync.agent.function.calls";
    public static final String FUNCTION_FAILURES = "edgesync.agent.function.failures";
    private static final List<String> STATUSES = List.of("pending", "syncing", "synced", "failed");

    private AgentMetrics() {
    }

    public static void bind(MeterRegistry registry, EdgeAgent agent) {
        for (String status : STATUSES) {
            Gauge.builder(RECORDS, agent, a -> a.store().count(status)).tag("status", status)
                    .description("Records in the local store by sync status").register(registry);
        }
        FunctionCounter.builder(DROPPED, agent, a -> a.store().droppedRecords())
                .description("Unsynced records dropped because the store was full (drop-oldest)").register(registry);
        FunctionCounter.builder(FUNCTION_CALLS, agent, a -> a.functionStats().calls())
                .description("Edge function calls on readings since start").register(registry);
        for (FunctionException.Kind kind : FunctionException.Kind.values()) {
            FunctionCounter.builder(FUNCTION_FAILURES, agent, a -> a.functionStats().failures(kind))
                    .tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Edge function calls that failed, by kind; the reading was kept flagged or rejected")
                    .register(registry);
        }
        Gauge.builder(SYNC_STOPPED, agent, a -> a.syncStopped() ? 1 : 0)
                .description("1 while uploads are stopped by a refused device token").register(registry);
    }
}
