package io.edgesync.cli.stats;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@code edgesync stats} reports, read from the central {@code sync_logs} (the design's
 * show-sync-stats): the latest runs, and runs, rows and the last sync per table and per host.
 */
public record SyncStats(List<Run> latest, List<Summary> tables, List<Summary> hosts) {
    public static final int LATEST = 10;

    /** One sync_logs row; times ISO-8601 UTC. */
    public record Run(String host, String table, String startedAt, String completedAt, long recordsSynced,
                      long recordsFailed, String status, String error) {
    }

    /** Runs of one table or one host. */
    public record Summary(String name, long runs, long rowsSynced, long rowsFailed, String lastSync,
                          long failedRuns) {
    }

    public static SyncStats read(Connection c) throws SQLException {
        List<Run> latest = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql("latest-sync-logs.sql"))) {
            ps.setInt(1, LATEST);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    latest.add(new Run(rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)),
                            instant(rs.getTimestamp(4)), rs.getLong(5), rs.getLong(6), rs.getString(7),
                            rs.getString(8)));
                }
            }
        }
        return new SyncStats(latest, summaries(c, "per-table.sql"), summaries(c, "per-host.sql"));
    }

    private static List<Summary> summaries(Connection c, String file) throws SQLException {
        List<Summary> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql(file)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Summary(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        instant(rs.getTimestamp(5)), rs.getLong(6)));
            }
        }
        return out;
    }

    /** ISO-8601 UTC, as every EdgeSync time on the wire; null stays null. */
    private static String instant(Timestamp t) {
        return t == null ? null : t.toInstant().toString();
    }

    private static String sql(String name) {
        try (InputStream in = SyncStats.class.getResourceAsStream(name)) {
            return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
