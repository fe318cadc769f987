package io.edgesync.shared.db;

import io.edgesync.shared.config.ConfigException;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.time.Duration;
import java.util.List;

/**
 * How long a service waits for the central database before it gives up on a statement, declared
 * once for every service that uses it (sink, dispatcher). {@code statementTimeout} is enforced by
 * the server ({@code statement_timeout}, set at connection start with the {@code options} startup
 * parameter, which PostgreSQL and CockroachDB both accept); {@code socketTimeout} by the driver
 * (pgjdbc {@code socketTimeout}), for a server that stops answering without closing the connection.
 * It also bounds connecting and the wait for a pooled connection.
 */
public record DatabaseTimeouts(Duration statementTimeout, Duration socketTimeout) {
    public static final Setting<Duration> STATEMENT_TIMEOUT = Setting.duration("database.statement-timeout", "10s",
            "Longest a database statement may run; the server cancels it then (statement_timeout, set with the "
                    + "options startup parameter unless the JDBC URL sets options itself).");
    public static final Setting<Duration> SOCKET_TIMEOUT = Setting.duration("database.socket-timeout", "15s",
            "Longest the driver waits for any answer of the database (whole seconds, more than "
                    + "database.statement-timeout); also the bound on connecting and on waiting for a pooled "
                    + "connection. A database that stops answering fails the statement after this.");

    public static final List<Setting<?>> SETTINGS = List.of(STATEMENT_TIMEOUT, SOCKET_TIMEOUT);

    /** The defaults, for tools and benchmarks that build a pool without a configuration. */
    public static final DatabaseTimeouts DEFAULT = new DatabaseTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(15));

    public DatabaseTimeouts {
        if (statementTimeout.compareTo(Duration.ofMillis(1)) < 0) {
            throw new ConfigException("invalid key " + STATEMENT_TIMEOUT.key() + ": " + statementTimeout
                    + "; accepted: a duration of at least 1ms");
        }
        if (socketTimeout.compareTo(Duration.ofSeconds(1)) < 0 || socketTimeout.compareTo(statementTimeout) <= 0) {
            throw new ConfigException("invalid key " + SOCKET_TIMEOUT.key() + ": " + socketTimeout
                    + "; accepted: a duration of at least 1s and more than " + STATEMENT_TIMEOUT.key() + " ("
                    + statementTimeout + ")");
        }
    }

    public static DatabaseTimeouts from(ConfigSource source) {
        return new DatabaseTimeouts(source.get(STATEMENT_TIMEOUT), source.get(SOCKET_TIMEOUT));
    }

    /** pgjdbc counts its timeouts in whole seconds: rounded up. */
    int socketTimeoutSeconds() {
        return (int) Math.max(1, (socketTimeout.toMillis() + 999) / 1000);
    }
}
