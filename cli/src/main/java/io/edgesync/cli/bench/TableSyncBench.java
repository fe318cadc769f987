package io.edgesync.cli.bench;

import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.agent.store.StoreOptions;
import io.edgesync.agent.sync.TelemetrySync;
import io.edgesync.agent.tables.BuiltInTables;
import io.edgesync.cli.EdgeSyncCli;
import io.edgesync.embedded.KafkaBroker;
import io.edgesync.embedded.PostgresServer;
import io.edgesync.embedded.TempDirs;
import io.edgesync.gateway.GatewayConfig;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.gateway.auth.TrustingAuthenticator;
import io.edgesync.processor.ProcessorConfig;
import io.edgesync.processor.StreamProcessor;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.kafka.TopicAdmin;
import io.edgesync.shared.model.TelemetryRecord;
import io.edgesync.sink.CockroachSink;
import io.edgesync.sink.SinkConfig;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.sqlite.SQLiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgesync bench table-sync}: one agent process ({@code edgesync agent run}) with a backlog
 * of telemetry in its store and a backlog of file change events in another program's SQLite file,
 * syncing both through a real gateway, broker, processor and sink into PostgreSQL. Prints the
 * telemetry drain rate and the table rows/s (acknowledged at the edge, and landed centrally) of the
 * same run, and checks that every row arrived once.
 */
@Command(name = "table-sync", mixinStandardHelpOptions = true,
        description = "Table sync: rows/s of a file-event backlog synced by one agent, next to its telemetry "
            + "drain rate in the same run (real gateway, Kafka, processor, sink, PostgreSQL).")
public final class TableSyncBench implements Callable<Integer> {
    private static final String DEVICE = "bench-host";

    @Option(names = "--rows", defaultValue = "500000", description = "File change events in the backlog (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--records", defaultValue = "100000", description = "Telemetry records in the backlog (default ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--table-batch-size", defaultValue = "100",
            description = "agent.tables.batch-size (default ${DEFAULT-VALUE}, the agent's default).")
    int tableBatch;

    @Option(names = "--agent-heap", defaultValue = "256m", description = "-Xmx of the agent process (default ${DEFAULT-VALUE}).")
    String agentHeap;

    @Override
    public Integer call() throws Exception {
        Path dir = TempDirs.create("bench-table-sync-");
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), 0);
             PostgresServer pg = PostgresServer.start(dir.resolve("pg"), Path.of(System.getProperty("java.io.tmpdir"),
                     "pg-binaries"), 0, false)) {
            TopicAdmin.ensureTopics(kafka.bootstrapServers(), 3, (short) 1);
            Map<String, String> s = new HashMap<>(Map.of("kafka.bootstrap-servers", kafka.bootstrapServers(),
                    "database.jdbc-url", pg.jdbcUrl(), "processor.state-dir", dir.resolve("streams").toString(),
                    "processor.port", "-1", "sink.port", "-1", "gateway.port", "0", "gateway.auth-mode", "none",
                    "gateway.rate-limit.records-per-second", "100000000", "gateway.rate-limit.burst", "100000000"));
            try (CockroachSink sink = CockroachSink.start(SinkConfig.from(ConfigSource.of(s)));
                 StreamProcessor processor = StreamProcessor.start(ProcessorConfig.from(ConfigSource.of(s)));
                 IngestGateway gateway = IngestGateway.start(GatewayConfig.from(ConfigSource.of(s)),
                         new TrustingAuthenticator())) {
                if (!processor.awaitRunning(Duration.ofSeconds(120))) {
                    throw new IllegalStateException("the stream processor did not start: " + processor.state());
                }
                System.out.printf("table sync benchmark: %,d file change events and %,d telemetry records in one agent's"
                        + " backlog, table batches of %d, telemetry batches of 1,000, %d cores; gateway, Kafka,"
                        + " processor, sink and PostgreSQL (embedded, fsync off) in this process, the agent in its own%n",
                        rows, records, tableBatch, Runtime.getRuntime().availableProcessors());
                Path events = dir.resolve("events.db");
                Path store = dir.resolve("agent.db");
                writeEvents(events);
                writeTelemetry(store);
                run(dir, events, store, gateway.url(), pg.jdbcUrl());
            }
            return 0;
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    /** The other program's file: WAL, the built-in schema, 10,000 rows per transaction. */
    private void writeEvents(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties())) {
            try (Statement st = c.createStatement()) {
                st.execute(BuiltInTables.FILE_CHANGE_EVENTS.ddl());
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO file_change_events (event_time, event_time_iso,"
                    + " event_type, file_path, relative_path, file_name, file_extension, file_size, is_symlink,"
                    + " monitored_root, project_name) VALUES (?, ?, ?, ?, ?, ?, 'txt', ?, 0, '/home/me/work', ?)")) {
                String[] types = {"created", "modified", "deleted", "moved"};
                for (int i = 0; i < rows; i++) {
                    String project = "project-" + (i % 20);
                    ps.setDouble(1, 1_764_000_000 + i / 100.0);
                    ps.setString(2, java.time.Instant.ofEpochMilli(1_764_000_000_000L + i * 10L).toString());
                    ps.setString(3, types[i % 4]);
                    ps.setString(4, "/home/me/work/" + project + "/src/file-" + i + ".txt");
                    ps.setString(5, project + "/src/file-" + i + ".txt");
                    ps.setString(6, "file-" + i + ".txt");
                    ps.setLong(7, 1000L + i % 5000);
                    ps.setString(8, project);
                    ps.addBatch();
                    if (i % 10_000 == 9_999 || i == rows - 1) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
            }
        }
        System.out.printf("backlog written: %,d file change events in %.1f s%n", rows, (System.nanoTime() - start) / 1e9);
    }

    private void writeTelemetry(Path store) {
        AgentConfig config = new AgentConfig(DEVICE, store, "http://127.0.0.1:9", null, null, 1000,
                Duration.ofHours(1), Duration.ofSeconds(30), TelemetrySync.RetryPolicy.defaults(),
                new StoreOptions(StoreOptions.Durability.NORMAL, 10_000_000, StoreOptions.FullPolicy.REJECT_NEW,
                        Duration.ofDays(7)), -1, null, Duration.ofSeconds(30), Duration.ofSeconds(30), "edge-agent");
        try (EdgeAgent agent = EdgeAgent.open(config, HttpClient.newHttpClient(), Clock.systemUTC())) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < records; i += 1000) {
                List<TelemetryRecord> batch = new ArrayList<>(1000);
                for (int k = i; k < Math.min(records, i + 1000); k++) {
                    batch.add(new TelemetryRecord(UUID.randomUUID().toString(), DEVICE, "sensor-" + (k % 8), now + k,
                            "temperature", 20 + (k % 100) / 10.0, "C", null, 1, null, null));
                }
                agent.submit(batch);
            }
        }
    }

    private void run(Path dir, Path events, Path store, String gatewayUrl, String jdbcUrl) throws Exception {
        Path yaml = dir.resolve("agent.yaml");
        Files.writeString(yaml, String.join("\n", "agent:", "  device-id: " + DEVICE, "  database: " + store,
                "  gateway-url: " + gatewayUrl, "  dispatcher-url: ''", "  sync-interval: 100ms",
                "  tables:", "    sources: \"" + events + "|file_change_events\"", "    batch-size: " + tableBatch, ""));
        Process agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + agentHeap, "-cp", System.getProperty("java.class.path"), EdgeSyncCli.class.getName(),
                "agent", "run", "--config", yaml.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
        Progress telemetry = new Progress(records);
        Progress edge = new Progress(rows);
        Progress central = new Progress(rows);
        try (Connection pg = DriverManager.getConnection(jdbcUrl)) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (!central.done() && System.nanoTime() < deadline) {
                if (!agent.isAlive()) {
                    throw new IllegalStateException("the agent process exited: see " + dir.resolve("agent.log"));
                }
                if (!telemetry.done()) {
                    telemetry.seen(count(store, "SELECT count(*) FROM telemetry_data WHERE sync_status = 'synced'"));
                }
                if (!edge.done()) {
                    edge.seen(syncedAtTheEdge(events));
                }
                central.seen(count(pg, "SELECT count(*) FROM file_change_events WHERE host_identifier = '" + DEVICE + "'"));
                Thread.sleep(100);
            }
            long deliveries = count(pg, "SELECT coalesce(sum(deliveries), 0) FROM file_change_events"
                    + " WHERE host_identifier = '" + DEVICE + "'");
            long logged = count(pg, "SELECT coalesce(sum(records_synced), 0) FROM sync_logs WHERE host_identifier = '"
                    + DEVICE + "' AND table_name = 'file_change_events'");
            System.out.printf("telemetry drain (agent process, batches of 1,000):   %,10.0f records/s (%,d records)%n",
                    telemetry.rate(), telemetry.last);
            System.out.printf("file change events acknowledged at the edge (synced_at set, batches of %d): %,10.0f rows/s"
                    + " (%,d rows)%n", tableBatch, edge.rate(), edge.last);
            System.out.printf("file change events landed centrally (PostgreSQL, from the first row to the last): %,10.0f"
                    + " rows/s (%,d rows)%n", central.rate(), central.last);
            System.out.printf("table rows / telemetry records per second: %.2f%n", edge.rate() / telemetry.rate());
            System.out.printf("check: central rows %,d, sum(deliveries) %,d (each applied once: %s), sync_logs"
                    + " records_synced %,d (so far)%n", central.last, deliveries, deliveries == central.last, logged);
        } finally {
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
    }

    /** Rows with synced_at set; 0 until the agent has added the column. */
    private long syncedAtTheEdge(Path events) throws SQLException {
        try {
            return rows - count(events, "SELECT count(*) FROM file_change_events WHERE synced_at IS NULL");
        } catch (SQLException e) {
            if (count(events, "SELECT count(*) FROM pragma_table_info('file_change_events') WHERE name = 'synced_at'")
                    == 0) {
                return 0;
            }
            // added meanwhile
            return rows - count(events, "SELECT count(*) FROM file_change_events WHERE synced_at IS NULL");
        }
    }

    private static long count(Path sqlite, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite)) {
            return count(c, sql);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** First and last time a growing count was seen, for a rate over the interval it grew in. */
    private static final class Progress {
        final long target;
        long first = -1;
        long firstAt;
        long last;
        long lastAt;

        Progress(long target) {
            this.target = target;
        }

        void seen(long n) {
            long now = System.nanoTime();
            if (n > 0 && first < 0) {
                first = n;
                firstAt = now;
            }
            if (n > last) {
                last = n;
                lastAt = now;
            }
        }

        boolean done() {
            return last >= target;
        }

        double rate() {
            return lastAt <= firstAt ? 0 : (last - first) / ((lastAt - firstAt) / 1e9);
        }
    }
}
