package io.edgesync.sink.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class DbFailureTest {
    @Test
    void serializationFailureIsRetryable() {
        assertEquals(DbFailure.SERIALIZATION, DbFailure.of(new SQLException("restart transaction", "40001")));
    }

    @Test
    void connectionClassShutdownAndPoolTimeoutMeanUnavailable() {
        assertEquals(DbFailure.UNAVAILABLE, DbFailure.of(new SQLException("x", "08006")));
        assertEquals(DbFailure.UNAVAILABLE, DbFailure.of(new SQLException("x", "08001")));
        assertEquals(DbFailure.UNAVAILABLE, DbFailure.of(new SQLException("x", "57P01")));
        assertEquals(DbFailure.UNAVAILABLE, DbFailure.of(new SQLException("x", "40003")));
        assertEquals(DbFailure.UNAVAILABLE, DbFailure.of(new SQLTransientConnectionException("pool timeout")));
    }

    @Test
    void dataAndConstraintClassesMeanARejectedRow() {
        assertEquals(DbFailure.REJECTED_ROW, DbFailure.of(new SQLException("x", "22P05")));
        assertEquals(DbFailure.REJECTED_ROW, DbFailure.of(new SQLException("x", "23502")));
    }

    @Test
    void theServerErrorBehindABatchUpdateExceptionDecides() {
        BatchUpdateException batch = new BatchUpdateException("batch aborted", null, 0, new int[0], null);
        batch.setNextException(new SQLException("invalid input", "22021"));
        assertEquals(DbFailure.REJECTED_ROW, DbFailure.of(batch));
        assertEquals("22021", DbFailure.sqlState(batch));
    }

    @Test
    void aCauseChainIsSearched() {
        SQLException outer = new SQLException("wrapped", null, new SQLException("inner", "40001"));
        assertEquals(DbFailure.SERIALIZATION, DbFailure.of(outer));
    }

    @Test
    void anythingElseIsOther() {
        assertEquals(DbFailure.OTHER, DbFailure.of(new SQLException("no such table", "42P01")));
        assertEquals(DbFailure.OTHER, DbFailure.of(new SQLException("no state")));
        assertEquals("unknown", DbFailure.sqlState(new SQLException("no state")));
    }
}
