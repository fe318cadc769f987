package io.edgesync.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.agent.store.TableSyncRuns;
import io.edgesync.agent.tables.BuiltInTables;
import io.edgesync.agent.tables.TableSync;
import io.edgesync.embedded.FreePorts;
import io.edgesync.embedded.TempDirs;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.ChildJvm;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.KafkaTopics;
import io.edgesync.testsupport.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 17 end to end: a real agent syncs tables of SQLite files that another process writes,
 * through the real gateway, broker, processor and sink into PostgreSQL; outages, kill -9 and the
 * central sync_logs.
 */
class TableSourceSyncIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static final java.util.concurrent.atomic.AtomicInteger WRITER_RUNS = new java.util.concurrent.atomic.AtomicInteger();
    static Path dir;
    static CloudPipeline cloud;
    static int port;
    static IngestGateway gateway;

    @BeforeAll
    static void startCloud() {
        dir = TempDirs.create("table-sources-");
        cloud = new CloudPipeline(KAFKA.bootstrapServers(), PG.jdbcUrl(), PG.dataSource(), dir);
        port = FreePorts.pick();
        gateway = cloud.startGateway(port, Map.of());
    }

    @AfterAll
    static void stopCloud() {
        cloud.close();
        TempDirs.deleteRecursively(dir);
    }

    static Map<String, String> settings(String host, Path source, int batch, String interval) {
        Map<String, String> m = new HashMap<>(Map.of("agent.device-id", host,
                "agent.database", dir.resolve(host + "-agent.db").toString(),
                "agent.gateway-url", "http://127.0.0.1:" + port, "agent.dispatcher-url", "",
                "agent.http.port", "-1", "agent.sync-interval", interval,
                "agent.retry.max-attempts", "2", "agent.retry.initial-interval", "100ms",
                "agent.tables.batch-size", Integer.toString(batch)));
        m.put("agent.tables.sources", source + "|file_change_events;" + source + "|desktop_activity_sessions");
        return m;
    }

    static EdgeAgent agent(String host, Path source, int batch, String interval) {
        return EdgeAgent.open(AgentConfig.from(ConfigSource.of(settings(host, source, batch, interval))));
    }

    static long central(String sql, Object... args) throws Exception {
        try (Connection c = PG.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    static long edge(Path file, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    /** Records of one host and table in table-rows.clean (read_committed): where a resend would show as a copy. */
    static long cleanRows(String host, String table) throws Exception {
        long n = 0;
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(KAFKA.bootstrapServers(),
                Topics.TABLE_ROWS_CLEAN.name())) {
            if (r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(host)
                    && Json.mapper().readTree(r.value()).path("table").asText().equals(table)) {
                n++;
            }
        }
        return n;
    }

    static void writeEvents(Path file, int n) throws Exception {
        // a log of its own per run: the wait below counts the lines of this run only
        Path log = dir.resolve(file.getFileName() + "-" + WRITER_RUNS.incrementAndGet() + ".log");
        try (ChildJvm writer = ChildJvm.start("writer", log, "128m",
                SourceWriterMain.class, file.toString(), Integer.toString(n), "0", "0")) {
            // it exits right after it is done: wait for the exit, then for its word that it finished
            int exit = Await.until(Duration.ofSeconds(120), writer::exitCode, c -> c != null, "the writer's exit");
            assertEquals(0, exit, writer.output());
            assertTrue(writer.output().contains("event=writer_done"), writer.output());
        }
    }

    @Test
    void rowsWrittenByAnotherProcessWhileItKeepsWritingArriveOnceAndTheLaterVersionWins() throws Exception {
        // GIVEN another process writing 600 file events and 200 sessions (each closed by an update) into its file
        String host = "host-live";
        Path file = dir.resolve("live.db");
        try (ChildJvm writer = ChildJvm.start("writer", dir.resolve("live-writer.log"), "128m", SourceWriterMain.class,
                file.toString(), "600", "200", "5");
             EdgeAgent agent = agent(host, file, 50, "200ms")) {
            writer.awaitOutput("event=writer_started", 1, Duration.ofSeconds(60));
            // WHEN the agent syncs while it keeps writing
            agent.start();
            writer.awaitOutput("event=writer_done", 1, Duration.ofSeconds(120));
            // THEN every row arrives with the host identifier, the sessions with their end time
            Await.equalTo(Duration.ofSeconds(90), () -> central("SELECT count(*) FROM file_change_events"
                    + " WHERE host_identifier = ?", host), 600L, "central file events");
            Await.equalTo(Duration.ofSeconds(90), () -> central("SELECT count(*) FROM desktop_activity_sessions"
                    + " WHERE host_identifier = ? AND end_time IS NOT NULL", host), 200L, "closed sessions centrally");
            Await.equalTo(Duration.ofSeconds(30), () -> edge(file, "SELECT count(*) FROM file_change_events"
                    + " WHERE synced_at IS NULL") + edge(file, "SELECT count(*) FROM desktop_activity_sessions"
                    + " WHERE synced_at IS NULL"), 0L, "unsynced rows at the edge");
            Await.equalTo(Duration.ofSeconds(30), () -> agent.tableRuns().unshipped(10).size(), 0,
                    "every run shipped to sync_logs");
        }
        assertEquals(200, central("SELECT count(*) FROM desktop_activity_sessions WHERE host_identifier = ?", host));
        assertEquals(0, central("SELECT count(*) FROM desktop_activity_sessions WHERE host_identifier = ?"
                + " AND (duration_seconds IS NULL OR end_time <> start_time + 60)", host), "the later version won");
        // AND each event was applied once, and is in table-rows.clean once
        assertEquals(600, central("SELECT sum(deliveries) FROM file_change_events WHERE host_identifier = ?", host));
        assertEquals(600, cleanRows(host, "file_change_events"));
        assertEquals(1, central("SELECT count(*) FROM file_change_events WHERE host_identifier = ? AND id = 8"
                + " AND file_path = '/w/p/f7.txt' AND event_type = 'moved' AND is_symlink = false", host));
        // AND every synced row's edge mark matches a central row
        assertEquals(edge(file, "SELECT count(*) FROM file_change_events WHERE synced_at IS NOT NULL"),
                central("SELECT count(*) FROM file_change_events WHERE host_identifier = ?", host));
        // AND the runs are in the central sync_logs
        Await.until(Duration.ofSeconds(60), () -> central("SELECT coalesce(sum(records_synced), 0) FROM sync_logs"
                + " WHERE host_identifier = ? AND table_name = 'file_change_events'", host), n -> n >= 600,
                "sync_logs of the file events");
        assertEquals(0, central("SELECT count(*) FROM sync_logs WHERE host_identifier = ? AND status <> 'success'",
                host));
    }

    @Test
    void gatewayDownThenUpLosesAndDoublesNothingAndTheFailedRunAppearsInSyncLogs() throws Exception {
        // GIVEN 300 file events and an agent whose gateway is down
        String host = "host-outage";
        Path file = dir.resolve("outage.db");
        writeEvents(file, 300);
        gateway.close();
        try (EdgeAgent agent = agent(host, file, 100, "1h")) {
            agent.syncNow();
            // THEN the run failed, nothing is marked synced at the edge, the failure is recorded locally
            TableSync.RunResult failed = agent.lastTableRuns().get(0);
            assertEquals("failed", failed.status(), failed.toString());
            assertNotNull(failed.error());
            assertEquals(0, edge(file, "SELECT count(*) FROM file_change_events WHERE synced_at IS NOT NULL"));
            List<TableSyncRuns.Run> pending = agent.tableRuns().unshipped(10);
            assertEquals(1, pending.size(), pending.toString());
            assertEquals(0, central("SELECT count(*) FROM sync_logs WHERE host_identifier = ?", host));

            // WHEN the gateway is back
            gateway = cloud.startGateway(port, Map.of());
            agent.syncNow();
            assertEquals("success", agent.lastTableRuns().get(0).status());
            assertEquals(300, agent.lastTableRuns().get(0).synced());
            assertEquals(0, agent.tableRuns().unshipped(10).size(), "both runs shipped");
        }
        // THEN every row arrived once, and the failed run is in sync_logs beside the good one
        Await.equalTo(Duration.ofSeconds(60), () -> central("SELECT count(*) FROM file_change_events"
                + " WHERE host_identifier = ?", host), 300L, "central file events");
        assertEquals(0, edge(file, "SELECT count(*) FROM file_change_events WHERE synced_at IS NULL"));
        Await.equalTo(Duration.ofSeconds(60), () -> central("SELECT count(*) FROM sync_logs WHERE host_identifier = ?",
                host), 2L, "two runs in sync_logs");
        assertEquals(1, central("SELECT count(*) FROM sync_logs WHERE host_identifier = ? AND status = 'failed'"
                + " AND records_synced = 0 AND records_failed = 100 AND error_message LIKE '%gateway%'", host));
        assertEquals(1, central("SELECT count(*) FROM sync_logs WHERE host_identifier = ? AND status = 'success'"
                + " AND records_synced = 300 AND table_name = 'file_change_events'", host));
        Await.equalTo(Duration.ofSeconds(30), () -> cleanRows(host, "file_change_events"), 300L, "clean rows");
        assertEquals(300, central("SELECT sum(deliveries) FROM file_change_events WHERE host_identifier = ?", host));
    }

    @Test
    void anAgentKilledMidSyncLosesAndDoublesNothing() throws Exception {
        // GIVEN 20,000 file events, synced 50 at a time by an agent in its own JVM
        String host = "host-kill";
        Path file = dir.resolve("kill.db");
        writeEvents(file, 20_000);
        Map<String, String> s = settings(host, file, 50, "1h");
        String[] args = s.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        Path log = dir.resolve("kill-agent.log");
        try (ChildJvm child = ChildJvm.start("table-agent", log, "256m", NodeAgentMain.class, args)) {
            // WHEN it is killed with SIGKILL in the middle of the backlog
            long synced = Await.until(Duration.ofSeconds(120), () -> edge(file, "SELECT count(*) FROM"
                    + " file_change_events WHERE synced_at IS NOT NULL"), n -> n >= 2_000, "a part synced");
            child.kill();
            assertTrue(synced < 20_000, "killed mid-sync: " + synced);
        }
        long before = edge(file, "SELECT count(*) FROM file_change_events WHERE synced_at IS NOT NULL");
        assertTrue(before < 20_000, "rows left: " + before);
        // THEN restarted on the same files, it finishes: every row once centrally and once in table-rows.clean
        try (ChildJvm child = ChildJvm.start("table-agent", log, "256m", NodeAgentMain.class, args)) {
            Await.equalTo(Duration.ofSeconds(180), () -> edge(file, "SELECT count(*) FROM file_change_events"
                    + " WHERE synced_at IS NULL"), 0L, "unsynced rows at the edge");
            Await.equalTo(Duration.ofSeconds(90), () -> central("SELECT count(*) FROM file_change_events"
                    + " WHERE host_identifier = ?", host), 20_000L, "central file events");
            child.stop(Duration.ofSeconds(60));
        }
        Await.equalTo(Duration.ofSeconds(60), () -> cleanRows(host, "file_change_events"), 20_000L, "clean rows");
        assertEquals(20_000, central("SELECT sum(deliveries) FROM file_change_events WHERE host_identifier = ?", host));
        assertEquals(20_000, central("SELECT count(DISTINCT file_path) FROM file_change_events"
                + " WHERE host_identifier = ?", host));
    }

    static void edgeUpdate(Path file, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
            s.executeUpdate(sql);
        }
    }

    @Test
    void aRowTheGatewayRefusesKeepsNoSyncedAtUntilTheWriterFixesIt() throws Exception {
        // GIVEN five file events, one with a size that is not an integer (SQLite stores it anyway)
        String host = "host-refused";
        Path file = dir.resolve("refused.db");
        writeEvents(file, 5);
        edgeUpdate(file, "UPDATE file_change_events SET file_size = 'big' WHERE id = 3");
        try (EdgeAgent agent = agent(host, file, 100, "1h")) {
            // WHEN the agent syncs
            agent.syncNow();
            TableSync.RunResult run = agent.lastTableRuns().get(0);
            // THEN the four accepted rows are marked, the refused one is not, and the run is partial
            assertEquals("partial_success", run.status(), run.toString());
            assertEquals(4, run.synced());
            assertEquals(1, run.failed());
            assertEquals(1, edge(file, "SELECT count(*) FROM file_change_events WHERE synced_at IS NULL AND id = 3"));
            assertEquals(4, edge(file, "SELECT count(*) FROM file_change_events WHERE synced_at IS NOT NULL"));
            // AND it is not sent again while unchanged
            agent.syncNow();
            assertTrue(agent.lastTableRuns().get(0).quiet(), agent.lastTableRuns().toString());
            // WHEN the writing program corrects it (an update: a new version)
            edgeUpdate(file, "UPDATE file_change_events SET file_size = 30 WHERE id = 3");
            agent.syncNow();
            assertEquals("success", agent.lastTableRuns().get(0).status(), agent.lastTableRuns().toString());
            assertEquals(1, agent.lastTableRuns().get(0).synced());
        }
        // THEN all five are central, the corrected one with its new size
        Await.equalTo(Duration.ofSeconds(60), () -> central("SELECT count(*) FROM file_change_events"
                + " WHERE host_identifier = ?", host), 5L, "central file events");
        assertEquals(1, central("SELECT count(*) FROM file_change_events WHERE host_identifier = ? AND id = 3"
                + " AND file_size = 30", host));
        assertEquals(0, edge(file, "SELECT count(*) FROM file_change_events WHERE synced_at IS NULL"));
        Await.equalTo(Duration.ofSeconds(60), () -> central("SELECT count(*) FROM sync_logs WHERE host_identifier = ?"
                + " AND status = 'partial_success' AND records_synced = 4 AND records_failed = 1", host), 1L,
                "the partial run in sync_logs");
    }

    @Test
    void aBacklogPastTheCycleBoundIsSyncedInCyclesThatFollowAtOnce() throws Exception {
        // GIVEN 250 file events and an agent that sends at most 100 rows of a source per cycle, every hour
        String host = "host-bounded";
        Path file = dir.resolve("bounded.db");
        writeEvents(file, 250);
        Map<String, String> s = settings(host, file, 50, "1h");
        s.put("agent.tables.max-rows-per-cycle", "100");
        try (EdgeAgent agent = EdgeAgent.open(AgentConfig.from(ConfigSource.of(s)))) {
            // WHEN one cycle runs
            agent.syncNow();
            // THEN it stopped at the bound, saying rows are left
            TableSync.RunResult first = agent.lastTableRuns().get(0);
            assertEquals(100, first.synced(), first.toString());
            assertTrue(first.more(), first.toString());
            assertEquals(100, edge(file, "SELECT count(*) FROM file_change_events WHERE synced_at IS NOT NULL"));
            // AND once running, the cycles that follow start at once (not after the hour) until none are left
            agent.start();
            Await.equalTo(Duration.ofSeconds(30), () -> edge(file, "SELECT count(*) FROM file_change_events"
                    + " WHERE synced_at IS NULL"), 0L, "unsynced rows at the edge");
            // (the cycle ships its run to sync_logs after marking the rows: wait for that before closing)
            Await.equalTo(Duration.ofSeconds(30), () -> agent.tableRuns().unshipped(10).size(), 0,
                    "every run shipped");
        }
        Await.equalTo(Duration.ofSeconds(60), () -> central("SELECT count(*) FROM file_change_events"
                + " WHERE host_identifier = ?", host), 250L, "central file events");
        Await.equalTo(Duration.ofSeconds(60), () -> central("SELECT coalesce(sum(records_synced), 0) FROM sync_logs"
                + " WHERE host_identifier = ? AND status = 'success'", host), 250L, "the runs in sync_logs");
        assertEquals(3, central("SELECT count(*) FROM sync_logs WHERE host_identifier = ?", host), "100 + 100 + 50");
    }

    @Test
    void aSourceTableIsMigratedOnceAndOnlyGainsTheSyncColumnsIndexAndTrigger() throws Exception {
        Path file = dir.resolve("migrate.db");
        writeEvents(file, 10);
        try (EdgeAgent agent = agent("host-migrate", file, 100, "1h")) {
            agent.syncNow();
            agent.syncNow();
        }
        assertEquals(1, edge(file, "SELECT count(*) FROM pragma_table_info('file_change_events')"
                + " WHERE name = 'synced_at'"));
        assertEquals(1, edge(file, "SELECT count(*) FROM pragma_table_info('file_change_events')"
                + " WHERE name = 'sync_version'"));
        assertEquals(15, edge(file, "SELECT count(*) FROM pragma_table_info('file_change_events')"),
                "13 columns of the design + 2");
        assertEquals(1, edge(file, "SELECT count(*) FROM sqlite_master WHERE name = 'edgesync_unsynced_file_change_events'"));
        assertEquals(1, edge(file, "SELECT count(*) FROM sqlite_master WHERE name = 'edgesync_changed_file_change_events'"));
        assertEquals(10, edge(file, "SELECT count(*) FROM file_change_events WHERE synced_at IS NOT NULL"));
        assertTrue(Files.exists(file));
        assertEquals(BuiltInTables.FILE_CHANGE_EVENTS.name(), "file_change_events");
    }
    @Test
    void theSyncNowCommandAndTheFlagFileEachStartASyncAtOnce() throws Exception {
        // GIVEN a running agent that syncs only every hour, its first cycle done
        String host = "host-trigger";
        Path file = dir.resolve("trigger.db");
        writeEvents(file, 5);
        int agentPort = FreePorts.pick();
        Map<String, String> s = settings(host, file, 100, "1h");
        s.put("agent.http.port", Integer.toString(agentPort));
        try (EdgeAgent agent = EdgeAgent.open(AgentConfig.from(ConfigSource.of(s)))) {
            agent.start();
            Await.equalTo(Duration.ofSeconds(30), () -> edge(file, "SELECT count(*) FROM file_change_events"
                    + " WHERE synced_at IS NULL"), 0L, "the first cycle");
            // WHEN new rows are written and `edgesync agent sync-now` is run
            writeEvents(file, 5);
            Path yaml = Files.writeString(dir.resolve("trigger.yaml"), "agent:\n  http:\n    port: " + agentPort
                    + "\n  database: " + s.get("agent.database") + "\n");
            long asked = System.nanoTime();
            assertEquals(0, new picocli.CommandLine(new io.edgesync.cli.EdgeSyncCli()).execute("agent", "sync-now",
                    "--config", yaml.toString()));
            // THEN they are synced at once (within a second; asserted with slack for the shared machine)
            Await.equalTo(Duration.ofSeconds(10), () -> edge(file, "SELECT count(*) FROM file_change_events"
                    + " WHERE synced_at IS NULL"), 0L, "synced after sync-now");
            long byCommand = (System.nanoTime() - asked) / 1_000_000;
            // AND the same for a .sync_now file in the data directory
            writeEvents(file, 5);
            Path flag = Path.of(s.get("agent.database")).toAbsolutePath().getParent().resolve(".sync_now");
            asked = System.nanoTime();
            Files.writeString(flag, "");
            Await.equalTo(Duration.ofSeconds(10), () -> edge(file, "SELECT count(*) FROM file_change_events"
                    + " WHERE synced_at IS NULL"), 0L, "synced after .sync_now");
            long byFlag = (System.nanoTime() - asked) / 1_000_000;
            System.out.println("trigger latency: sync-now " + byCommand + " ms, .sync_now " + byFlag + " ms");
            assertTrue(byCommand < 5_000 && byFlag < 5_000, byCommand + " / " + byFlag + " ms");
            Await.equalTo(Duration.ofSeconds(5), () -> Files.exists(flag), false, "the flag file removed");
        }
        Await.equalTo(Duration.ofSeconds(60), () -> central("SELECT count(*) FROM file_change_events"
                + " WHERE host_identifier = ?", host), 15L, "central file events");
    }
}
