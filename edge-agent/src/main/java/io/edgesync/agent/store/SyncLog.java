package io.edgesync.agent.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code sync_log}: one row per sync cycle that did anything, in either direction. Kept to the
 * newest {@value #KEEP} rows.
 */
public final class SyncLog {
    static final int KEEP = 10_000;

    private final LocalStore store;

    public SyncLog(LocalStore store) {
        this.store = Objects.requireNonNull(store);
    }

    public void record(SyncLogEntry entry) {
        store.inTransaction(() -> {
            try (PreparedStatement ps = store.connection().prepareStatement("INSERT INTO sync_log (direction,"
                    + " started_at, finished_at, sent, accepted, rejected, status, error)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, entry.direction());
                ps.setLong(2, entry.startedAt());
                ps.setLong(3, entry.finishedAt());
                ps.setInt(4, entry.sent());
                ps.setInt(5, entry.accepted());
                ps.setInt(6, entry.rejected());
                ps.setString(7, entry.status());
                ps.setString(8, entry.error());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = store.connection().prepareStatement(
                    "DELETE FROM sync_log WHERE id <= (SELECT max(id) FROM sync_log) - ?")) {
                ps.setInt(1, KEEP);
                return ps.executeUpdate();
            }
        });
    }

    /** The newest rows, newest first. */
    public List<SyncLogEntry> recent(int limit) {
        return store.inTransaction(() -> {
            List<SyncLogEntry> out = new ArrayList<>();
            try (PreparedStatement ps = store.connection().prepareStatement("SELECT direction, started_at,"
                    + " finished_at, sent, accepted, rejected, status, error FROM sync_log ORDER BY id DESC LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
            }
            return out;
        });
    }

    /** The newest row of one direction ({@code up}, {@code down}), if any. */
    public java.util.Optional<SyncLogEntry> latest(String direction) {
        return store.inTransaction(() -> {
            try (PreparedStatement ps = store.connection().prepareStatement("SELECT direction, started_at,"
                    + " finished_at, sent, accepted, rejected, status, error FROM sync_log WHERE direction = ?"
                    + " ORDER BY id DESC LIMIT 1")) {
                ps.setString(1, direction);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? java.util.Optional.of(read(rs)) : java.util.Optional.<SyncLogEntry>empty();
                }
            }
        });
    }

    private static SyncLogEntry read(ResultSet rs) throws SQLException {
        return new SyncLogEntry(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getInt(5),
                rs.getInt(6), rs.getString(7), rs.getString(8));
    }
}
