package io.edgesync.cli.stats;

import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.sink.SinkConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgesync stats}: the table sync report from the central sync_logs, as text or {@code --json}. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Table sync statistics from the central sync_logs: the latest 10 runs, then runs, rows synced, "
            + "rows failed and the last sync per table and per host. Text by default, --json for scripts. The "
            + "database is database.jdbc-url (--config YAML, EDGESYNC_DATABASE_JDBC_URL or --jdbc-url).")
public final class StatsCommand implements Callable<Integer> {
    @Option(names = "--config", description = "YAML configuration file (database.jdbc-url).")
    Path configFile;

    @Option(names = "--jdbc-url", description = "Overrides database.jdbc-url.")
    String jdbcUrl;

    @Option(names = "--json", description = "One JSON object {latest, tables, hosts} instead of text.")
    boolean json;

    @Override
    public Integer call() {
        String url = jdbcUrl != null ? jdbcUrl
                : ConfigSource.load(configFile, System.getenv()).get(SinkConfig.JDBC_URL);
        SyncStats stats;
        try (Connection c = DriverManager.getConnection(url)) {
            stats = SyncStats.read(c);
        } catch (SQLException e) {
            // unreachable database, wrong credentials, no sync_logs table: one line, status 1 (no stack trace)
            String reason = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            System.err.println("error: cannot read sync_logs from " + url.replaceAll("\\?.*$", "") + ": " + reason);
            return 1;
        }
        if (json) {
            System.out.println(Json.mapper().valueToTree(stats).toString());
        } else {
            print(stats, System.out);
        }
        return 0;
    }

    /** The readable report. */
    public static void print(SyncStats stats, PrintStream out) {
        out.println("Latest sync logs (" + stats.latest().size() + ")");
        out.printf("%-24s  %-20s  %-28s  %-15s  %10s  %10s  %s%n", "STARTED", "HOST", "TABLE", "STATUS", "SYNCED",
                "FAILED", "ERROR");
        for (SyncStats.Run r : stats.latest()) {
            out.printf("%-24s  %-20s  %-28s  %-15s  %10d  %10d  %s%n", time(r.startedAt()), r.host(), r.table(),
                    r.status(), r.recordsSynced(), r.recordsFailed(), r.error() == null ? "" : r.error());
        }
        summaries("Per table", "TABLE", stats.tables(), out);
        summaries("Per host", "HOST", stats.hosts(), out);
    }

    private static void summaries(String title, String column, java.util.List<SyncStats.Summary> rows,
                                  PrintStream out) {
        out.println();
        out.println(title);
        out.printf("%-28s  %8s  %12s  %12s  %11s  %s%n", column, "RUNS", "ROWS SYNCED", "ROWS FAILED", "FAILED RUNS",
                "LAST SYNC");
        for (SyncStats.Summary s : rows) {
            out.printf("%-28s  %8d  %12d  %12d  %11d  %s%n", s.name(), s.runs(), s.rowsSynced(), s.rowsFailed(),
                    s.failedRuns(), time(s.lastSync()));
        }
    }

    private static String time(String t) {
        return t == null ? "-" : t;
    }
}
