package io.edgesync.shared.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.flywaydb.core.Flyway;

/**
 * Connection pool and schema for the control-plane database: CockroachDB in production,
 * PostgreSQL locally and in tests. The schema is {@code db/migration} in this module.
 */
public final class Database {
    private Database() {
    }

    /**
     * @param jdbcUrl a {@code jdbc:postgresql://} URL; CockroachDB speaks the same protocol.
     *                User and password may be URL parameters.
     */
    public static HikariDataSource pool(String jdbcUrl, int maxPoolSize, String poolName) {
        return pool(jdbcUrl, maxPoolSize, poolName, DatabaseTimeouts.DEFAULT);
    }

    /**
     * A pool whose every statement is bounded: the server cancels one running longer than
     * {@code statementTimeout}; the driver fails one that gets no answer for {@code socketTimeout}
     * (a database that stopped answering without closing the connection), and connecting or waiting
     * for a pooled connection fails after {@code socketTimeout} too. Only client-side settings and the
     * {@code options} startup parameter are used, so the same pool works on PostgreSQL and CockroachDB.
     */
    public static HikariDataSource pool(String jdbcUrl, int maxPoolSize, String poolName, DatabaseTimeouts timeouts) {
        return pool(jdbcUrl, maxPoolSize, poolName, timeouts, null);
    }

    /** As above, with the pool's meters ({@code hikaricp_connections_*}, tag {@code pool}) in {@code metrics}. */
    public static HikariDataSource pool(String jdbcUrl, int maxPoolSize, String poolName, DatabaseTimeouts timeouts,
                                        MeterRegistry metrics) {
        return pool(jdbcUrl, maxPoolSize, poolName, timeouts, DatabaseTls.NONE, metrics);
    }

    /** As above, with TLS to the database ({@link DatabaseTls}: sslmode, certificates) as driver properties. */
    public static HikariDataSource pool(String jdbcUrl, int maxPoolSize, String poolName, DatabaseTimeouts timeouts,
                                        DatabaseTls tls, MeterRegistry metrics) {
        HikariConfig config = new HikariConfig();
        if (metrics != null) {
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
        }
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(1);
        config.setPoolName(poolName);
        long socketMs = timeouts.socketTimeout().toMillis();
        config.setConnectionTimeout(Math.max(250, socketMs));
        config.setValidationTimeout(Math.max(250, Math.min(5_000, socketMs / 2)));
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("ApplicationName", poolName);
        int socketSeconds = timeouts.socketTimeoutSeconds();
        config.addDataSourceProperty("socketTimeout", Integer.toString(socketSeconds));
        config.addDataSourceProperty("connectTimeout", Integer.toString(socketSeconds));
        config.addDataSourceProperty("loginTimeout", Integer.toString(socketSeconds));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("options", "-c statement_timeout=" + timeouts.statementTimeout().toMillis());
        tls.driverProperties().forEach(config::addDataSourceProperty);
        return new HikariDataSource(config);
    }

    /**
     * Applies pending migrations; safe to call from every service at start-up. Version ranges are
     * reserved per feature, so a release can bring a version below one already applied (V50 after
     * V70): out-of-order lets it apply instead of failing validation. Migrations are independent.
     */
    public static void migrate(javax.sql.DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .outOfOrder(true)
                .load()
                .migrate();
    }
}
