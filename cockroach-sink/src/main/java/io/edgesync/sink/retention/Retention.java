package io.edgesync.sink.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code telemetry_data} (by {@code timestamp}) and {@code conflict_log} (by
 * {@code detected_at}) for the retention period. On CockroachDB the database does it: row-level TTL
 * with an expiration expression, set at start-up. On PostgreSQL the sink deletes expired rows in
 * batches on a schedule ({@link #sweep()}).
 */
public final class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    /** A table under retention and the column that dates its rows. */
    record Target(String table, String timeColumn, String keyColumns) {
    }

    static final List<Target> TARGETS = List.of(
            new Target("telemetry_data", "\"timestamp\"", "device_id, id"),
            new Target("conflict_log", "detected_at", "id"));

    private final DataSource dataSource;
    private final Duration retention;
    private final Duration interval;
    private final int batchRows;
    private final Clock clock;

    public Retention(DataSource dataSource, Duration retention, Duration interval, int batchRows, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource);
        this.retention = Objects.requireNonNull(retention);
        this.interval = Objects.requireNonNull(interval);
        this.batchRows = batchRows;
        this.clock = Objects.requireNonNull(clock);
    }

    /** CockroachDB: {@code ALTER TABLE ... SET (ttl_expiration_expression = ..., ttl_job_cron = ...)}. */
    static List<String> cockroachTtlStatements(Duration retention, Duration interval) {
        String cron = interval.toHours() >= 24 ? "@daily" : interval.toMinutes() >= 60 ? "@hourly"
                : "*/" + Math.max(interval.toMinutes(), 1) + " * * * *";
        String seconds = retention.toSeconds() + " seconds";
        return TARGETS.stream().map(t -> "ALTER TABLE " + t.table() + " SET (ttl_expiration_expression = '("
                + t.timeColumn() + " + INTERVAL ''" + seconds + "'')', ttl_job_cron = '" + cron + "')").toList();
    }

    /** The batched delete, valid on both dialects (used on PostgreSQL). */
    static String deleteStatement(Target t) {
        return "DELETE FROM " + t.table() + " WHERE (" + t.keyColumns() + ") IN (SELECT " + t.keyColumns() + " FROM "
                + t.table() + " WHERE " + t.timeColumn() + " < ? LIMIT ?)";
    }

    /**
     * Sets the TTL on CockroachDB; returns true when the caller must schedule {@link #sweep()}
     * (PostgreSQL).
     */
    public boolean install(Dialect dialect) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            LOG.info("event=retention_scheduled dialect=postgresql retention={} interval={}", retention, interval);
            return true;
        }
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (String sql : cockroachTtlStatements(retention, interval)) {
                st.execute(sql);
            }
        }
        LOG.info("event=retention_ttl_set dialect=cockroachdb retention={}", retention);
        return false;
    }

    /** Deletes every row older than the retention period, {@code batchRows} per statement; returns the count. */
    public long sweep() throws SQLException {
        OffsetDateTime cutoff = OffsetDateTime.now(clock).minus(retention).withOffsetSameInstant(ZoneOffset.UTC);
        long total = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            for (Target t : TARGETS) {
                try (PreparedStatement ps = c.prepareStatement(deleteStatement(t))) {
                    int deleted;
                    do {
                        ps.setObject(1, cutoff);
                        ps.setInt(2, batchRows);
                        deleted = ps.executeUpdate();
                        total += deleted;
                    } while (deleted >= batchRows);
                }
            }
        }
        if (total > 0) {
            LOG.info("event=retention_swept rows={} cutoff={}", total, cutoff);
        }
        return total;
    }

    public Duration interval() {
        return interval;
    }
}
