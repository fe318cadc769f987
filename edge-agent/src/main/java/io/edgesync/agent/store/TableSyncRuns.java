package io.edgesync.agent.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The agent's own record of table sync: {@code table_sync_runs} (one row per run of one source,
 * shipped later to the central {@code sync_logs}, so a run that failed while the control plane was
 * unreachable is not lost) and {@code table_sync_rejected} (rows the gateway refused, by key and
 * version, skipped until the row changes). Shipped runs are kept to the newest {@value #KEEP}.
 */
public final class TableSyncRuns {
    static final int KEEP = 10_000;

    /** One run. Times in epoch milliseconds; status success, partial_success or failed. */
    public record Run(String id, String tableName, String source, long startedAt, long completedAt,
                      long recordsSynced, long recordsFailed, String status, String errorMessage) {
    }

    private final LocalStore store;

    public TableSyncRuns(LocalStore store) {
        this.store = Objects.requireNonNull(store);
    }

    public void record(Run run) {
        store.inTransaction(() -> {
            try (PreparedStatement ps = store.connection().prepareStatement("INSERT INTO table_sync_runs (id,"
                    + " table_name, source, started_at, completed_at, records_synced, records_failed, status,"
                    + " error_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, run.id());
                ps.setString(2, run.tableName());
                ps.setString(3, run.source());
                ps.setLong(4, run.startedAt());
                ps.setLong(5, run.completedAt());
                ps.setLong(6, run.recordsSynced());
                ps.setLong(7, run.recordsFailed());
                ps.setString(8, run.status());
                ps.setString(9, run.errorMessage());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = store.connection().prepareStatement("DELETE FROM table_sync_runs WHERE"
                    + " shipped = 1 AND id NOT IN (SELECT id FROM table_sync_runs ORDER BY started_at DESC LIMIT ?)")) {
                ps.setInt(1, KEEP);
                return ps.executeUpdate();
            }
        });
    }

    /** Runs not yet acknowledged centrally, oldest first. */
    public List<Run> unshipped(int limit) {
        return query("WHERE shipped = 0 ORDER BY started_at, id LIMIT " + limit);
    }

    /** The newest runs, newest first. */
    public List<Run> recent(int limit) {
        return query("ORDER BY started_at DESC, id LIMIT " + limit);
    }

    public void markShipped(List<String> ids) {
        store.inTransaction(() -> {
            try (PreparedStatement ps = store.connection().prepareStatement(
                    "UPDATE table_sync_runs SET shipped = 1 WHERE id = ?")) {
                for (String id : ids) {
                    ps.setString(1, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    public void reject(String source, String key, long version, String code, String reason, long at) {
        store.inTransaction(() -> {
            try (PreparedStatement ps = store.connection().prepareStatement("INSERT OR IGNORE INTO"
                    + " table_sync_rejected (source, row_key, row_version, code, reason, rejected_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, source);
                ps.setString(2, key);
                ps.setLong(3, version);
                ps.setString(4, code);
                ps.setString(5, reason);
                ps.setLong(6, at);
                return ps.executeUpdate();
            }
        });
    }

    /** The refused rows of a source as {@code key@version}. */
    public Set<String> rejected(String source) {
        return store.inTransaction(() -> {
            Set<String> out = new HashSet<>();
            try (PreparedStatement ps = store.connection().prepareStatement(
                    "SELECT row_key, row_version FROM table_sync_rejected WHERE source = ?")) {
                ps.setString(1, source);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1) + "@" + rs.getLong(2));
                    }
                }
            }
            return out;
        });
    }

    private List<Run> query(String tail) {
        return store.inTransaction(() -> {
            List<Run> out = new ArrayList<>();
            try (PreparedStatement ps = store.connection().prepareStatement("SELECT id, table_name, source,"
                    + " started_at, completed_at, records_synced, records_failed, status, error_message"
                    + " FROM table_sync_runs " + tail);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        });
    }

    private static Run read(ResultSet rs) throws SQLException {
        return new Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                rs.getLong(6), rs.getLong(7), rs.getString(8), rs.getString(9));
    }
}
