package io.edgesync.sink.store;

import io.edgesync.sink.dlq.DeadLetters;
import io.edgesync.sink.retry.DbFailure;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final Clock clock;

    public BisectingWriter(BatchWriter writer, Clock clock) {
        this.writer = Objects.requireNonNull(writer);
        this.clock = Objects.requireNonNull(clock);
    }

    public BisectingWriter(BatchWriter writer) {
        this(writer, Clock.systemUTC());
    }

    /** Writes the rows; a device whose telemetry was refused gets sync_status 'rejected' with the reason. */
    public Outcome write(List<SinkRow> rows) throws SQLException {
        List<DeadLetters.Letter> rejected = new ArrayList<>();
        Map<String, String> rejectedDevices = new HashMap<>();
        int written = writeOrSplit(rows, rejected, rejectedDevices);
        try {
            writer.markRejected(rejectedDevices, clock.millis());
        } catch (SQLException e) {
            if (DbFailure.of(e) != DbFailure.REJECTED_ROW) {
                throw e;
            }
            LOG.warn("event=sync_status_not_marked devices={} sqlstate={}", rejectedDevices.size(),
                    DbFailure.sqlState(e));
        }
        return new Outcome(written, List.copyOf(rejected));
    }

    private int writeOrSplit(List<SinkRow> rows, List<DeadLetters.Letter> rejected,
                             Map<String, String> rejectedDevices) throws SQLException {
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
                if (bad instanceof SinkRow.Telemetry t && storable(t.record().deviceId())) {
                    rejectedDevices.put(t.record().deviceId(), "a record was refused by the database (SQLSTATE "
                            + state + ") and sent to telemetry.dlq");
                }
                return 0;
            }
            int mid = rows.size() / 2;
            return writeOrSplit(rows.subList(0, mid), rejected, rejectedDevices)
                    + writeOrSplit(rows.subList(mid, rows.size()), rejected, rejectedDevices);
        }
    }

    /** Text the database can store as a key: no NUL, no unpaired surrogate. */
    private static boolean storable(String s) {
        if (s == null) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == 0 || Character.isLowSurrogate(ch)
                    || Character.isHighSurrogate(ch) && (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(++i)))) {
                return false;
            }
        }
        return true;
    }
}
