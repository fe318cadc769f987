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
        return pool(jdbcUrl, maxPoolSize, poolName, null);
    }

    /** As above, with the pool's meters ({@code hikaricp_connections_*}, tag {@code pool}) in {@code metrics}. */
    public static HikariDataSource pool(String jdbcUrl, int maxPoolSize, String poolName, MeterRegistry metrics) {
        HikariConfig config = new HikariConfig();
        if (metrics != null) {
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
        }
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(1);
        config.setPoolName(poolName);
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("ApplicationName", poolName);
        return new HikariDataSource(config);
    }

    /** Applies pending migrations; safe to call from every service at start-up. */
    public static void migrate(javax.sql.DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}
