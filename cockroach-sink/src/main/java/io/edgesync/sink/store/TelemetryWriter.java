package io.edgesync.sink.store;

import io.edgesync.shared.db.Transactions;
import io.edgesync.shared.model.RecordOrdering;
import io.edgesync.shared.model.TelemetryRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a batch of clean telemetry to {@code telemetry_data} in one transaction with a guarded
 * upsert: a row is replaced only by a record that wins last-write-wins, so replays and late
 * losers change nothing.
 */
public final class TelemetryWriter {
    private static final String UPSERT = sql("upsert-telemetry.sql");

    private final Transactions transactions;

    public TelemetryWriter(Transactions transactions) {
        this.transactions = Objects.requireNonNull(transactions);
    }

    /** Keeps one record per (deviceId, id): the winner. */
    public static Collection<TelemetryRecord> reduce(Iterable<TelemetryRecord> records) {
        Map<String, TelemetryRecord> winners = new LinkedHashMap<>();
        for (TelemetryRecord r : records) {
            winners.merge(r.identity(), r, (a, b) -> RecordOrdering.LAST_WRITE_WINS.compare(a, b) >= 0 ? a : b);
        }
        return winners.values();
    }

    /** @return rows inserted or changed */
    public int write(Collection<TelemetryRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return 0;
        }
        return transactions.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                for (TelemetryRecord r : records) {
                    ps.setString(1, r.deviceId());
                    ps.setString(2, r.id());
                    ps.setString(3, r.sensorId());
                    ps.setObject(4, OffsetDateTime.ofInstant(Instant.ofEpochMilli(r.timestamp()), ZoneOffset.UTC));
                    ps.setString(5, r.dataType());
                    ps.setDouble(6, r.value());
                    ps.setString(7, r.unit());
                    if (r.metadata() == null) {
                        ps.setNull(8, Types.VARCHAR);
                    } else {
                        ps.setString(8, r.metadata().toString());
                    }
                    ps.setInt(9, r.version());
                    ps.setLong(10, RecordOrdering.payloadHash(r));
                    if (r.receivedAt() == null) {
                        ps.setNull(11, Types.TIMESTAMP_WITH_TIMEZONE);
                    } else {
                        ps.setObject(11, OffsetDateTime.ofInstant(Instant.ofEpochMilli(r.receivedAt()), ZoneOffset.UTC));
                    }
                    ps.addBatch();
                }
                int changed = 0;
                for (int n : ps.executeBatch()) {
                    changed += Math.max(n, 0);
                }
                return changed;
            }
        });
    }

    static String sql(String name) {
        try (InputStream in = TelemetryWriter.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing SQL resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
