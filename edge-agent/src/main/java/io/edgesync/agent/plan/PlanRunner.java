package io.edgesync.agent.plan;

import io.edgesync.agent.store.EdgeSchemaStore;
import io.edgesync.agent.store.StoreException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one sync plan: its schema actions in one SQLite transaction ({@link EdgeSchemaStore},
 * rolled back whole on the first failure), then its function actions in order through
 * {@link FunctionActions}. What is already in place locally (a schema version at or below the local
 * one, a function installed at that version, hash and order) is skipped, so a plan executed again after a
 * crash converges without applying anything twice. The outcome carries the state read back from the
 * store, which the acknowledgement reports.
 */
public final class PlanRunner {
    private static final Logger LOG = LoggerFactory.getLogger(PlanRunner.class);

    /** The result of a plan; {@code retryable} false for a permanent error (bad SQL, bad module). */
    public record Outcome(boolean success, String error, boolean retryable, List<Long> schemasApplied,
                          Map<String, Object> state) {
    }

    private final EdgeSchemaStore schemas;
    private final FunctionActions functions;

    public PlanRunner(EdgeSchemaStore schemas, FunctionActions functions) {
        this.schemas = Objects.requireNonNull(schemas);
        this.functions = Objects.requireNonNull(functions);
    }

    public Outcome run(SyncPlan plan) {
        List<EdgeSchemaStore.Migration> migrations = new ArrayList<>();
        for (SyncPlan.Action a : plan.actions()) {
            if (SyncPlan.APPLY_SCHEMA.equals(a.type())) {
                migrations.add(new EdgeSchemaStore.Migration(a.schemaVersion(), a.description(), a.upSql()));
            }
        }
        List<Long> applied = List.of();
        try {
            if (!migrations.isEmpty()) {
                applied = schemas.apply(migrations, plan.syncId()).versions();
                LOG.info("event=schemas_applied sync={} versions={} schema_version={}", plan.syncId(), applied,
                        schemas.version());
            }
        } catch (EdgeSchemaStore.MigrationFailed e) {
            LOG.warn("event=schema_migration_failed sync={} version={} reason=\"{}\"", plan.syncId(), e.version(),
                    e.getMessage());
            return failed(e.getMessage(), false, List.of());
        } catch (StoreException e) {
            return failed("edge store: " + e.getMessage(), true, List.of());
        }
        for (SyncPlan.Action a : plan.actions()) {
            try {
                runFunction(a);
            } catch (FunctionActions.Failed e) {
                LOG.warn("event=function_action_failed sync={} type={} function={} retryable={} reason=\"{}\"",
                        plan.syncId(), a.type(), a.name() != null ? a.name() : a.id(), e.retryable(), e.getMessage());
                return failed(e.getMessage(), e.retryable(), applied);
            }
        }
        return new Outcome(true, null, false, applied, state());
    }

    private void runFunction(SyncPlan.Action a) throws FunctionActions.Failed {
        switch (a.type()) {
            case SyncPlan.APPLY_SCHEMA -> {
            }
            case SyncPlan.DEPLOY_FUNCTION -> {
                boolean present = functions.installed().stream().anyMatch(f -> f.id().equals(a.id())
                        && Objects.equals(f.version(), a.version()) && Objects.equals(f.hash(), a.hash())
                        && f.order() == a.order());
                if (!present) {
                    functions.deploy(a.id(), a.name(), a.version(), a.hash(), a.url(), a.order());
                }
            }
            case SyncPlan.REMOVE_FUNCTION -> {
                if (functions.installed().stream().anyMatch(f -> f.id().equals(a.id()))) {
                    functions.remove(a.id());
                }
            }
            default -> throw new FunctionActions.Failed("unknown action type '" + a.type() + "'", false, null);
        }
    }

    private Outcome failed(String error, boolean retryable, List<Long> applied) {
        return new Outcome(false, error, retryable, applied, state());
    }

    /** The local state as the dispatcher tracks it: {schemaVersion, functions}. */
    public Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("schemaVersion", schemas.version());
        state.put("functions", functions.installed());
        return state;
    }
}
