package io.edgesync.sink;

import static io.edgesync.sink.Fixtures.T0;
import static io.edgesync.sink.Fixtures.reading;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgesync.shared.db.Transactions;
import io.edgesync.sink.retry.DbFailure;
import io.edgesync.sink.store.BatchWriter;
import io.edgesync.sink.store.SinkRow;
import io.edgesync.testsupport.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SQLSTATE 40001 for real: two SERIALIZABLE transactions on PostgreSQL write the same row; the
 * loser fails with a serialization failure and the retry loop commits it on the next attempt.
 */
class SerializationRetryIT {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Test
    void serializationFailureIsRetriedAndTheRetryCommits() throws Exception {
        // GIVEN a stored row
        write(PG.dataSource().getConnection(), "ser-1", 1);
        AtomicInteger attempts = new AtomicInteger();
        Transactions transactions = new Transactions(PG.dataSource(), 5, Duration.ofMillis(10));

        // WHEN the sink's batch runs SERIALIZABLE, and on its first attempt another SERIALIZABLE transaction
        // writes and commits the same row after the batch took its snapshot
        int committedOn = transactions.inTransaction(c -> {
            int attempt = attempts.incrementAndGet();
            snapshot(c, "ser-1");
            if (attempt == 1) {
                write(PG.dataSource().getConnection(), "ser-1", 2);
            }
            BatchWriter.writeIn(c, List.of(row("ser-1", 3)));
            return attempt;
        });

        // THEN the first attempt failed with 40001 and the second committed version 3
        assertEquals(2, committedOn);
        assertEquals(3, storedVersion("ser-1"));
    }

    @Test
    void serializationFailureAfterTheLastAttemptIsThrownAsRetryable() throws Exception {
        write(PG.dataSource().getConnection(), "ser-2", 1);
        Transactions once = new Transactions(PG.dataSource(), 1, Duration.ofMillis(10));

        SQLException e = assertThrows(SQLException.class, () -> once.inTransaction(c -> {
            snapshot(c, "ser-2");
            write(PG.dataSource().getConnection(), "ser-2", 2);
            return BatchWriter.writeIn(c, List.of(row("ser-2", 3)));
        }));

        assertEquals(DbFailure.SERIALIZATION, DbFailure.of(e));
        assertEquals(2, storedVersion("ser-2"));
    }

    private static SinkRow row(String device, int version) {
        return new SinkRow.Telemetry(reading(device, "r1", version, T0, version), null);
    }

    /** Starts a SERIALIZABLE transaction on {@code c} and reads the row, which fixes its snapshot. */
    private static void snapshot(Connection c, String device) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
            st.executeQuery("SELECT version FROM telemetry_data WHERE device_id = '" + device + "'").close();
        }
    }

    /** Another SERIALIZABLE transaction on its own connection, committed. */
    private static void write(Connection other, String device, int version) throws SQLException {
        try (Connection c = other) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
            }
            BatchWriter.writeIn(c, List.of(row(device, version)));
            c.commit();
        }
    }

    private static int storedVersion(String device) throws SQLException {
        try (Connection c = PG.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version FROM telemetry_data WHERE device_id = '" + device + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
