package io.edgesync.agent.tables;

import io.edgesync.agent.store.TableSyncRuns;
import io.edgesync.agent.sync.Backoff;
import io.edgesync.agent.sync.TableRowsUploader;
import io.edgesync.agent.sync.TelemetryUploader;
import io.edgesync.agent.sync.UploadException;
import io.edgesync.shared.model.Rejection;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs the configured source tables: per source, unsynced rows in time order, in batches, each
 * retried with backoff; {@code synced_at} set only on rows the gateway accepted; refused rows
 * remembered and skipped until they change. Every run that had rows or failed is recorded locally
 * ({@link TableSyncRuns}) and then shipped, with every earlier unshipped run, as rows of the central
 * {@code sync_logs} table (keyed by the run's id, so shipping twice is harmless).
 */
public final class TableSync {
    private static final Logger LOG = LoggerFactory.getLogger(TableSync.class);
    public static final String SYNC_LOGS = "sync_logs";

    /** What one run of one source did; {@code more}: it stopped at the per-cycle bound with rows left. */
    public record RunResult(String table, long synced, long failed, String status, String error, boolean more) {
        public boolean quiet() {
            return status == null;
        }
    }

    private final String hostId;
    private final List<TableSource> sources;
    private final TableRowsUploader uploader;
    private final TableSyncRuns runs;
    private final int batchSize;
    private final int maxRowsPerCycle;
    private final Backoff backoff;
    private final Clock clock;
    private final Set<String> prepared = new HashSet<>();

    public TableSync(String hostId, List<TableSource> sources, TableRowsUploader uploader, TableSyncRuns runs,
                     int batchSize, int maxRowsPerCycle, Backoff backoff, Clock clock) {
        this.hostId = Objects.requireNonNull(hostId);
        this.sources = List.copyOf(sources);
        this.uploader = Objects.requireNonNull(uploader);
        this.runs = Objects.requireNonNull(runs);
        this.batchSize = batchSize;
        this.maxRowsPerCycle = maxRowsPerCycle;
        this.backoff = Objects.requireNonNull(backoff);
        this.clock = Objects.requireNonNull(clock);
    }

    public List<TableSource> sources() {
        return sources;
    }

    /** One run of every source, then the sync logs shipped. */
    public List<RunResult> syncAll() {
        List<RunResult> results = new ArrayList<>();
        for (TableSource source : sources) {
            results.add(syncSource(source));
        }
        shipLogs();
        return results;
    }

    RunResult syncSource(TableSource source) {
        long started = clock.millis();
        long synced = 0;
        long failed = 0;
        String error = null;
        boolean more = false;
        int size = batchSize;
        Retry retry = retry(source.centralTable());
        try (SourceTable table = SourceTable.open(source)) {
            if (!prepared.contains(source.id())) {
                if (table.prepare()) {
                    LOG.info("event=table_source_prepared source={} table={}", source.id(), source.centralTable());
                }
                prepared.add(source.id());
            }
            Set<String> skip = runs.rejected(source.id());
            while (true) {
                if (synced + failed >= maxRowsPerCycle) {
                    more = !table.unsynced(1, skip).isEmpty();
                    break;
                }
                List<SourceRow> rows = table.unsynced((int) Math.min(size, maxRowsPerCycle - synced - failed), skip);
                if (rows.isEmpty()) {
                    break;
                }
                String batchId = UUID.randomUUID().toString();
                List<Map<String, Object>> body = new ArrayList<>(rows.size());
                for (SourceRow r : rows) {
                    body.add(Map.of("version", r.version(), "values", r.values()));
                }
                TelemetryUploader.Outcome outcome;
                try {
                    outcome = retry.executeCheckedSupplier(() -> uploader.upload(hostId, source.centralTable(),
                            batchId, body));
                } catch (Throwable t) {
                    UploadException e = t instanceof UploadException u ? u
                            : new UploadException(t.toString(), 0, true, null, t);
                    if (e.status() == 413 && size > 1) {
                        size = Math.max(1, size / 2);
                        LOG.info("event=table_batch_size_reduced table={} batch_size={}", source.centralTable(), size);
                        continue;
                    }
                    failed += rows.size();
                    error = e.getMessage();
                    LOG.warn("event=table_sync_failed table={} rows={} status={} reason=\"{}\"", source.centralTable(),
                            rows.size(), e.status(), e.getMessage());
                    break;
                }
                Map<Integer, Rejection> refused = new LinkedHashMap<>();
                outcome.rejected().forEach(r -> refused.put(r.index(), r));
                List<SourceRow> accepted = new ArrayList<>(rows.size());
                long now = clock.millis();
                for (int i = 0; i < rows.size(); i++) {
                    Rejection r = refused.get(i);
                    if (r == null) {
                        accepted.add(rows.get(i));
                    } else {
                        SourceRow row = rows.get(i);
                        runs.reject(source.id(), row.keyText(), row.version(), r.code(), r.message(), now);
                        skip.add(row.keyText() + "@" + row.version());
                        LOG.warn("event=table_row_refused table={} key={} code={}", source.centralTable(),
                                row.keyText(), r.code());
                    }
                }
                int marked = table.markSynced(accepted, Instant.ofEpochMilli(now).toString());
                synced += accepted.size();
                failed += refused.size();
                if (marked == 0 && refused.isEmpty()) {
                    break; // every row changed while in flight: the next run sends the new versions
                }
            }
        } catch (SQLException | RuntimeException e) {
            error = "source " + source.id() + ": " + e.getMessage();
            LOG.warn("event=table_source_unreadable source={} reason=\"{}\"", source.id(), e.getMessage());
        }
        if (synced == 0 && failed == 0 && error == null) {
            return new RunResult(source.centralTable(), 0, 0, null, null, false);
        }
        String status = error == null && failed == 0 ? "success" : synced > 0 ? "partial_success" : "failed";
        runs.record(new TableSyncRuns.Run(UUID.randomUUID().toString(), source.centralTable(), source.id(), started,
                clock.millis(), synced, failed, status, error));
        LOG.info("event=table_sync_run table={} synced={} failed={} status={} more={}", source.centralTable(), synced,
                failed, status, more);
        return new RunResult(source.centralTable(), synced, failed, status, error, more);
    }

    /** Ships unshipped runs to {@code sync_logs}; returns how many were acknowledged. A failure leaves them for later. */
    public int shipLogs() {
        int shipped = 0;
        while (true) {
            List<TableSyncRuns.Run> batch = runs.unshipped(batchSize);
            if (batch.isEmpty()) {
                return shipped;
            }
            List<Map<String, Object>> rows = new ArrayList<>(batch.size());
            for (TableSyncRuns.Run run : batch) {
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("id", run.id());
                values.put("sync_started_at", Instant.ofEpochMilli(run.startedAt()).toString());
                values.put("sync_completed_at", Instant.ofEpochMilli(run.completedAt()).toString());
                values.put("table_name", run.tableName());
                values.put("records_synced", run.recordsSynced());
                values.put("records_failed", run.recordsFailed());
                values.put("status", run.status());
                values.put("error_message", run.errorMessage());
                rows.add(Map.of("version", 1, "values", values));
            }
            try {
                TelemetryUploader.Outcome outcome = uploader.upload(hostId, SYNC_LOGS, UUID.randomUUID().toString(),
                        rows);
                if (!outcome.rejected().isEmpty()) {
                    LOG.warn("event=sync_logs_refused runs={} first=\"{}\"", outcome.rejected().size(),
                            outcome.rejected().get(0).message());
                }
            } catch (UploadException e) {
                LOG.info("event=sync_logs_not_shipped runs={} reason=\"{}\"", batch.size(), e.getMessage());
                return shipped;
            }
            runs.markShipped(batch.stream().map(TableSyncRuns.Run::id).toList());
            shipped += batch.size();
        }
    }

    private Retry retry(String table) {
        IntervalBiFunction<Object> interval = (attempt, either) -> backoff.waitMillis(attempt,
                either.isLeft() && either.getLeft() instanceof UploadException u ? u.retryAfter() : null);
        return Retry.of("table-upload-" + table, RetryConfig.custom()
                .maxAttempts(backoff.policy().maxAttempts())
                .intervalBiFunction(interval)
                .retryOnException(e -> e instanceof UploadException u && u.retryable())
                .build());
    }
}
