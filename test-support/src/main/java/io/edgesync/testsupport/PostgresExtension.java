package io.edgesync.testsupport;

import io.edgesync.embedded.PostgresServer;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.db.Database;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: one real, throwaway PostgreSQL server per test class, migrated to the
 * current schema. Use as {@code @RegisterExtension static final PostgresExtension PG = new PostgresExtension();}.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {
    private final boolean persistent;
    private Path dataDir;
    private PostgresServer server;
    private HikariDataSource dataSource;

    public PostgresExtension() {
        this(false);
    }

    private PostgresExtension(boolean persistent) {
        this.persistent = persistent;
    }

    /**
     * A server whose data survives {@code server().stop()} and {@code server().start()} on the same
     * port (fsync on), for tests that take the database away mid-stream.
     */
    public static PostgresExtension restartable() {
        return new PostgresExtension(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        dataDir = TempDirs.create("pg-");
        Path binaries = Path.of(System.getProperty("java.io.tmpdir"), "pg-binaries");
        server = PostgresServer.start(dataDir.resolve("data"), binaries, 0, persistent);
        dataSource = Database.pool(server.jdbcUrl(), 8, "test");
        Database.migrate(dataSource);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (dataSource != null) {
                dataSource.close();
            }
            if (server != null) {
                server.close();
            }
        } finally {
            TempDirs.deleteRecursively(dataDir);
        }
    }

    public String jdbcUrl() {
        return server.jdbcUrl();
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    public PostgresServer server() {
        return server;
    }
}
