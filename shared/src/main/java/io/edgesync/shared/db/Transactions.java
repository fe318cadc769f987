package io.edgesync.shared.db;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unit of work in one transaction and retries it when the database answers SQLSTATE
 * {@code 40001} (CockroachDB's "restart transaction", PostgreSQL's serialization failure), with
 * a capped number of attempts and jittered exponential backoff. Any other error is thrown at once.
 */
public final class Transactions {
    public static final String SERIALIZATION_FAILURE = "40001";
    public static final String RETRIES = "edgesync.db.transaction.retries";
    public static final String RETRIES_EXHAUSTED = "edgesync.db.transaction.retries.exhausted";
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Counter retries;
    private final Counter exhausted;

    public Transactions(DataSource dataSource, int maxAttempts, Duration initialBackoff) {
        this(dataSource, maxAttempts, initialBackoff, new SimpleMeterRegistry());
    }

    /**
     * As above, counting in {@code metrics} the retries after a 40001 ({@code
     * edgesync_db_transaction_retries_total}) and the transactions that still failed with 40001 after
     * the last attempt ({@code edgesync_db_transaction_retries_exhausted_total}).
     */
    public Transactions(DataSource dataSource, int maxAttempts, Duration initialBackoff, MeterRegistry metrics) {
        this.dataSource = Objects.requireNonNull(dataSource);
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        this.maxAttempts = maxAttempts;
        this.initialBackoff = Objects.requireNonNull(initialBackoff);
        this.retries = Counter.builder(RETRIES).description("Transactions retried after SQLSTATE 40001")
                .register(metrics);
        this.exhausted = Counter.builder(RETRIES_EXHAUSTED)
                .description("Transactions that failed with SQLSTATE 40001 on their last attempt").register(metrics);
    }

    public Transactions(DataSource dataSource) {
        this(dataSource, 8, Duration.ofMillis(10));
    }

    public <T> T inTransaction(Work<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException e) {
                if (!isRetryable(e)) {
                    throw e;
                }
                if (attempt >= maxAttempts) {
                    exhausted.increment();
                    throw e;
                }
                retries.increment();
                long cap = initialBackoff.toMillis() << Math.min(attempt - 1, 10);
                long sleep = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
                LOG.info("event=tx_retry sqlstate={} attempt={} max_attempts={} backoff_ms={}",
                        e.getSQLState(), attempt, maxAttempts, sleep);
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** True for SQLSTATE 40001 anywhere in the cause chain. */
    public static boolean isRetryable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && SERIALIZATION_FAILURE.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }
}
