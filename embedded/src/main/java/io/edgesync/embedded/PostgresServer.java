package io.edgesync.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A real PostgreSQL server from the embedded binaries on Maven Central, listening on 127.0.0.1,
 * with its data directory where the caller says. {@code persistent} keeps the data (and turns
 * fsync on) so a local installation survives restarts; otherwise the data is throwaway.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String DATABASE = "postgres";
    public static final String USER = "postgres";

    private final Path dataDir;
    private final Path binariesDir;
    private final boolean persistent;
    private final int port;
    private EmbeddedPostgres postgres;

    private PostgresServer(Path dataDir, Path binariesDir, int port, boolean persistent) {
        this.dataDir = Objects.requireNonNull(dataDir);
        this.binariesDir = Objects.requireNonNull(binariesDir);
        this.port = port;
        this.persistent = persistent;
    }

    /**
     * @param binariesDir where the PostgreSQL binaries are unpacked (reused between starts)
     * @param port        0 picks a free port
     */
    public static PostgresServer start(Path dataDir, Path binariesDir, int port, boolean persistent) {
        PostgresServer server = new PostgresServer(dataDir, binariesDir, port == 0 ? FreePorts.pick() : port, persistent);
        server.start();
        return server;
    }

    public synchronized void start() {
        if (postgres != null) {
            return;
        }
        try {
            Files.createDirectories(binariesDir);
            Files.createDirectories(dataDir.getParent());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(binariesDir.toFile())
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(!persistent)
                    .setPort(port)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200");
            if (persistent) {
                builder.setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("full_page_writes", "on");
            }
            postgres = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL in " + dataDir, e);
        }
    }

    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop PostgreSQL", e);
        } finally {
            postgres = null;
        }
    }

    /**
     * PID of the postmaster (the server process, parent of every backend), from {@code postmaster.pid}
     * in the data directory ({@code pg_ctl} starts it detached); -1 while stopped.
     */
    public synchronized long pid() {
        if (postgres == null) {
            return -1;
        }
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the postmaster PID in " + dataDir, e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
    }

    @Override
    public void close() {
        stop();
    }
}
