package io.edgesync.sink.retry;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * What a database error means for the sink, decided by exception type and SQLSTATE (never by
 * message text). The cause chain and {@link SQLException#getNextException()} (where pgjdbc puts
 * the server's error behind a {@code BatchUpdateException}) are both searched.
 */
public enum DbFailure {
    /** {@code 40001}: retry the transaction (capped, with backoff). */
    SERIALIZATION,
    /**
     * Class {@code 08} (connection exception), {@code 57P01..03} (server shutting down or starting),
     * {@code 40003} (CockroachDB: result unknown) or a pool timeout: pause and retry until it returns.
     */
    UNAVAILABLE,
    /** Class {@code 22} (data exception) or {@code 23} (integrity constraint): a row is bad. */
    REJECTED_ROW,
    /** Anything else (schema, permissions): pause and retry, so nothing is lost while an operator looks. */
    OTHER;

    public static DbFailure of(SQLException e) {
        Set<String> states = new HashSet<>();
        boolean connectionType = false;
        Deque<Throwable> todo = new ArrayDeque<>();
        Set<Throwable> seen = new HashSet<>();
        todo.add(e);
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (t == null || !seen.add(t)) {
                continue;
            }
            if (t instanceof SQLTransientConnectionException) {
                connectionType = true;
            }
            if (t instanceof SQLException s) {
                if (s.getSQLState() != null) {
                    states.add(s.getSQLState());
                }
                if (s.getNextException() != null) {
                    todo.add(s.getNextException());
                }
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
        }
        if (states.contains("40001")) {
            return SERIALIZATION;
        }
        if (connectionType || states.stream().anyMatch(DbFailure::unavailable)) {
            return UNAVAILABLE;
        }
        if (states.stream().anyMatch(s -> s.startsWith("22") || s.startsWith("23"))) {
            return REJECTED_ROW;
        }
        return OTHER;
    }

    /** The first SQLSTATE in the chain, for logs and DLQ headers; {@code "unknown"} when none. */
    public static String sqlState(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (s.getSQLState() != null && !s.getSQLState().isEmpty()) {
                return s.getSQLState();
            }
        }
        return "unknown";
    }

    private static boolean unavailable(String state) {
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || state.equals("40003");
    }
}
