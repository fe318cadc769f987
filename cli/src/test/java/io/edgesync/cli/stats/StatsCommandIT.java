package io.edgesync.cli.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.cli.EdgeSyncCli;
import io.edgesync.shared.json.Json;
import io.edgesync.testsupport.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** {@code edgesync stats} against known rows of the central sync_logs in a real PostgreSQL. */
class StatsCommandIT {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @BeforeAll
    static void knownSyncLogs() throws Exception {
        try (Connection c = PG.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO"
                + " sync_logs (host_identifier, id, sync_started_at, sync_completed_at, table_name, records_synced,"
                + " records_failed, status, error_message, row_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)")) {
            // host-a: 10 good runs of 100 file events, one a minute, then one failed run
            for (int i = 0; i < 11; i++) {
                boolean failed = i == 10;
                add(ps, "host-a", "a" + i, i, "file_change_events", failed ? 0 : 100, failed ? 100 : 0,
                        failed ? "failed" : "success", failed ? "gateway unreachable" : null);
            }
            // host-b: one partial run of sessions, between host-a's first two
            add(ps, "host-b", "b0", 0.5, "desktop_activity_sessions", 5, 2, "partial_success", null);
            ps.executeBatch();
        }
    }

    static void add(PreparedStatement ps, String host, String id, double minute, String table, long synced,
                    long failed, String status, String error) throws Exception {
        Instant start = T0.plusSeconds((long) (minute * 60));
        ps.setString(1, host);
        ps.setString(2, id);
        ps.setTimestamp(3, Timestamp.from(start));
        ps.setTimestamp(4, Timestamp.from(start.plusSeconds(2)));
        ps.setString(5, table);
        ps.setLong(6, synced);
        ps.setLong(7, failed);
        ps.setString(8, status);
        ps.setString(9, error);
        ps.addBatch();
    }

    static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, new CommandLine(new EdgeSyncCli()).execute(args));
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theTextReportShowsTheLatestTenRunsAndTheSummariesPerTableAndPerHost() {
        List<String> lines = run("stats", "--jdbc-url", PG.jdbcUrl()).lines().toList();
        assertEquals("Latest sync logs (10)", lines.get(0));
        assertTrue(lines.get(1).startsWith("STARTED"), lines.get(1));
        // newest first: the failed run, then host-a's good runs back to a1; a0 and b0 are older than the ten
        assertEquals(String.format("%-24s  %-20s  %-28s  %-15s  %10d  %10d  %s", "2026-12-01T10:10:00Z", "host-a",
                "file_change_events", "failed", 0, 100, "gateway unreachable"), lines.get(2));
        assertEquals(String.format("%-24s  %-20s  %-28s  %-15s  %10d  %10d  %s", "2026-12-01T10:01:00Z", "host-a",
                "file_change_events", "success", 100, 0, ""), lines.get(11));
        int tables = lines.indexOf("Per table");
        assertEquals(13, tables, String.join("\n", lines));
        assertEquals(String.format("%-28s  %8d  %12d  %12d  %11d  %s", "desktop_activity_sessions", 1, 5, 2, 0,
                "2026-12-01T10:00:32Z"), lines.get(tables + 2));
        assertEquals(String.format("%-28s  %8d  %12d  %12d  %11d  %s", "file_change_events", 11, 1000, 100, 1,
                "2026-12-01T10:10:02Z"), lines.get(tables + 3));
        int hosts = lines.indexOf("Per host");
        assertEquals(String.format("%-28s  %8d  %12d  %12d  %11d  %s", "host-a", 11, 1000, 100, 1,
                "2026-12-01T10:10:02Z"), lines.get(hosts + 2));
        assertEquals(String.format("%-28s  %8d  %12d  %12d  %11d  %s", "host-b", 1, 5, 2, 0,
                "2026-12-01T10:00:32Z"), lines.get(hosts + 3));
        assertEquals(hosts + 4, lines.size());
    }

    @Test
    void jsonIsTheSameReportForScripts() throws Exception {
        JsonNode report = Json.mapper().readTree(run("stats", "--json", "--jdbc-url", PG.jdbcUrl()));
        assertEquals(10, report.path("latest").size());
        assertEquals("failed", report.path("latest").get(0).path("status").asText());
        assertEquals("2026-12-01T10:10:00Z", report.path("latest").get(0).path("startedAt").asText());
        assertEquals(1000, report.path("tables").get(1).path("rowsSynced").asLong());
        assertEquals("host-b", report.path("hosts").get(1).path("name").asText());
        assertEquals(2, report.path("hosts").get(1).path("rowsFailed").asLong());
    }

    @Test
    void anUnreachableDatabaseIsOneErrorLineAndStatusOne() {
        PrintStream original = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = new CommandLine(new EdgeSyncCli()).execute("stats", "--jdbc-url",
                    "jdbc:postgresql://127.0.0.1:1/postgres?user=postgres");
        } finally {
            System.setErr(original);
        }
        String err = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(1, exit, err);
        assertTrue(err.startsWith("error: cannot read sync_logs from jdbc:postgresql://127.0.0.1:1/postgres: "), err);
        assertEquals(1, err.lines().count(), err);
    }
}
