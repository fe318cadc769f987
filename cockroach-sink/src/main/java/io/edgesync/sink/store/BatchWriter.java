package io.edgesync.sink.store;

import io.edgesync.shared.db.Transactions;
import io.edgesync.shared.model.ConflictRecord;
import io.edgesync.shared.model.DeviceSyncStats;
import io.edgesync.shared.model.TelemetryRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes one batch of rows from all three topics in one transaction (retried on SQLSTATE 40001 by
 * {@link Transactions}). Telemetry is reduced by key with last-write-wins before it is written.
 */
public final class BatchWriter {
    private final Transactions transactions;

    public BatchWriter(Transactions transactions) {
        this.transactions = Objects.requireNonNull(transactions);
    }

    /** @return telemetry rows sent after reduction by key */
    public int write(List<? extends SinkRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        return transactions.inTransaction(c -> writeIn(c, rows));
    }

    /** Marks devices whose records the database refused (see {@link SyncStatusWriter#markRejected}). */
    public void markRejected(java.util.Map<String, String> errorByDevice, long now) throws SQLException {
        if (!errorByDevice.isEmpty()) {
            transactions.inTransaction(c -> {
                SyncStatusWriter.markRejected(c, errorByDevice, now);
                return null;
            });
        }
    }

    /** The same work inside the caller's transaction. */
    public static int writeIn(Connection c, List<? extends SinkRow> rows) throws SQLException {
        List<TelemetryRecord> telemetry = new ArrayList<>();
        List<ConflictRecord> conflicts = new ArrayList<>();
        List<DeviceSyncStats> stats = new ArrayList<>();
        for (SinkRow row : rows) {
            if (row instanceof SinkRow.Telemetry t) {
                telemetry.add(t.record());
            } else if (row instanceof SinkRow.Conflict k) {
                conflicts.add(k.conflict());
            } else if (row instanceof SinkRow.Stats s) {
                stats.add(s.stats());
            }
        }
        List<TelemetryRecord> reduced = TelemetryWriter.reduce(telemetry);
        TelemetryWriter.write(c, reduced);
        ConflictWriter.write(c, conflicts);
        SyncStatusWriter.write(c, SyncStatusWriter.reduce(stats));
        return reduced.size();
    }
}
