package io.edgesync.agent.plan;

import io.edgesync.agent.cloud.DispatcherClient;
import io.edgesync.agent.sync.Backoff;
import io.edgesync.agent.sync.UploadException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node sync cycle: fetch the plan ({@code GET /api/v1/nodes/{id}/sync}), execute it
 * ({@link PlanRunner}) and acknowledge the outcome with the error and the local state. Fetch, a
 * retryable plan failure and the acknowledgement are each retried on a {@link RetrySchedule}. A
 * permanent error (bad SQL, bad module) is acknowledged once, with {@code retryable: false}, and the
 * same plan is never executed again (the dispatcher stops handing it out until the target changes).
 * Cycles never overlap. Nothing here is kept only in memory that matters after a restart: the plan
 * is fetched again and executed against the store's real state.
 */
public final class NodeSync {
    private static final Logger LOG = LoggerFactory.getLogger(NodeSync.class);

    /** What one cycle did: {@code empty}, {@code blocked}, {@code success}, {@code failed} or {@code skipped}. */
    public record Cycle(String syncId, String status, String error, List<Long> schemasApplied, List<Long> waits) {
    }

    private final String deviceId;
    private final DispatcherClient client;
    private final PlanRunner runner;
    private final Supplier<RetrySchedule> schedules;
    private String reportedPermanent;

    public NodeSync(String deviceId, DispatcherClient client, PlanRunner runner, Supplier<RetrySchedule> schedules) {
        this.deviceId = Objects.requireNonNull(deviceId);
        this.client = Objects.requireNonNull(client);
        this.runner = Objects.requireNonNull(runner);
        this.schedules = Objects.requireNonNull(schedules);
    }

    public static Supplier<RetrySchedule> schedules(Backoff backoff) {
        return () -> new RetrySchedule(backoff, Thread::sleep);
    }

    /** Runs one cycle; throws when the dispatcher could not be reached within the attempts. */
    public synchronized Cycle cycle() throws UploadException, InterruptedException {
        RetrySchedule retry = schedules.get();
        SyncPlan plan = retry.call(() -> SyncPlan.parse(client.syncPlan(deviceId)));
        if (plan.empty()) {
            return new Cycle(plan.blockedSyncId(), plan.blockedSyncId() == null ? "empty" : "blocked", null,
                    List.of(), retry.waits());
        }
        if (plan.syncId().equals(reportedPermanent)) {
            return new Cycle(plan.syncId(), "skipped", null, List.of(), retry.waits());
        }
        LOG.info("event=sync_plan_received device={} sync={} type={} actions={}", deviceId, plan.syncId(),
                plan.syncType(), plan.actions().size());
        PlanRunner.Outcome outcome = runner.run(plan);
        for (int n = 1; !outcome.success() && outcome.retryable() && n < retry.maxAttempts(); n++) {
            retry.pause(n, null);
            outcome = runner.run(plan);
        }
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("syncId", plan.syncId());
        ack.put("status", outcome.success() ? "success" : "failed");
        if (!outcome.success()) {
            ack.put("error", truncate(outcome.error()));
            ack.put("retryable", outcome.retryable());
        }
        ack.put("state", outcome.state());
        LOG.info("event=sync_plan_{} device={} sync={} schemas_applied={} state_schema={}",
                outcome.success() ? "applied" : "failed", deviceId, plan.syncId(), outcome.schemasApplied(),
                outcome.state().get("schemaVersion"));
        try {
            retry.call(() -> {
                client.syncAck(deviceId, ack);
                return null;
            });
        } catch (UploadException e) {
            if (e.retryable() || e.unauthorized()) {
                throw e;
            }
            // 404 (unknown) or 409 (expired, superseded, settled): the next fetch brings the current plan
            LOG.warn("event=sync_ack_refused device={} sync={} status={} reason=\"{}\"", deviceId, plan.syncId(),
                    e.status(), e.getMessage());
        }
        if (!outcome.success() && !outcome.retryable()) {
            reportedPermanent = plan.syncId();
        }
        return new Cycle(plan.syncId(), outcome.success() ? "success" : "failed", outcome.error(),
                outcome.schemasApplied(), retry.waits());
    }

    private static String truncate(String error) {
        return error.length() > 8000 ? error.substring(0, 8000) : error;
    }
}
