package io.edgesync.sink.store;

import io.edgesync.sink.dlq.DeadLetters;
import io.edgesync.sink.retry.DbFailure;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a batch in one transaction; when the database rejects a row (SQLSTATE class 22/23), splits
 * the batch in halves and writes each in its own transaction, down to the single bad row, which
 * becomes a dead letter. Every other failure is thrown for the caller to retry the whole batch
 * (every statement is idempotent, so halves already committed are harmless to write again).
 */
public final class BisectingWriter {
    private static final Logger LOG = LoggerFactory.getLogger(BisectingWriter.class);

    /** Telemetry rows sent (after reduction) and rows refused. */
    public record Outcome(int written, List<DeadLetters.Letter> rejected) {
    }

    private final BatchWriter writer;

    public BisectingWriter(BatchWriter writer) {
        this.writer = Objects.requireNonNull(writer);
    }

    public Outcome write(List<SinkRow> rows) throws SQLException {
        List<DeadLetters.Letter> rejected = new ArrayList<>();
        int written = writeOrSplit(rows, rejected);
        return new Outcome(written, List.copyOf(rejected));
    }

    private int writeOrSplit(List<SinkRow> rows, List<DeadLetters.Letter> rejected) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        try {
            return writer.write(rows);
        } catch (SQLException e) {
            if (DbFailure.of(e) != DbFailure.REJECTED_ROW) {
                throw e;
            }
            if (rows.size() == 1) {
                SinkRow bad = rows.get(0);
                String state = DbFailure.sqlState(e);
                LOG.warn("event=row_rejected origin={} sqlstate={}", bad.origin(), state);
                rejected.add(new DeadLetters.Letter(bad.origin(), DeadLetters.Reason.DB_REJECTED, state,
                        e.getMessage()));
                return 0;
            }
            int mid = rows.size() / 2;
            return writeOrSplit(rows.subList(0, mid), rejected) + writeOrSplit(rows.subList(mid, rows.size()), rejected);
        }
    }
}
