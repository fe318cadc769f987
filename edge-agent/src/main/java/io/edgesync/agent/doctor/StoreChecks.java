package io.edgesync.agent.doctor;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * Checks of the agent's own SQLite database, read-only (safe beside a running agent: WAL lets another
 * process read; nothing is migrated or changed): {@code PRAGMA integrity_check}, free disk, the pending
 * backlog and its age, whether uploads were stopped, and the newest sync's error.
 */
final class StoreChecks {
    private final Path file;
    private final DoctorLimits limits;
    private final Clock clock;

    StoreChecks(Path file, DoctorLimits limits, Clock clock) {
        this.file = file;
        this.limits = limits;
        this.clock = clock;
    }

    /** What the endpoint checks need from the store: the device id and token enrolment stored (or null). */
    record Stored(String deviceId, String token) {
    }

    /** Adds this store's findings to {@code out}; answers what it holds (nulls when it cannot be read). */
    Stored run(List<Finding> out) {
        out.add(disk());
        if (!Files.isRegularFile(file)) {
            out.add(Finding.fail("store", "no database at " + file,
                    "check agent.database (or --database); the agent creates it on its first run"));
            return new Stored(null, null);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5000);
        try (Connection c = config.createConnection("jdbc:sqlite:" + file)) {
            String integrity = integrity(c);
            if (!integrity.equals("ok")) {
                out.add(Finding.fail("store integrity", "PRAGMA integrity_check: " + integrity,
                        "stop the agent, keep a copy of " + file + " (and its -wal file), recover it with `sqlite3 "
                                + file.getFileName() + " .recover`, or move it away and re-enroll (unsynced readings"
                                + " in it are lost)"));
                return new Stored(null, null);
            }
            out.add(Finding.ok("store integrity", "ok (" + file + ")"));
            Stored stored = new Stored(state(c, "device_id"), state(c, "device_token"));
            out.add(backlog(c));
            String stopped = state(c, "sync_stopped");
            if (stopped != null) {
                out.add(Finding.fail("uploads", "stopped: " + stopped,
                        "the gateway refused the token: re-enroll (`edgesync agent enroll`, needs agent.enrollment-key)"
                                + " or ask an operator to rotate the device token"));
            }
            out.add(lastSync(c));
            return stored;
        } catch (SQLException e) {
            out.add(Finding.fail("store", "cannot read " + file + ": " + e.getMessage(),
                    "check the file's owner and permissions; if it is not a SQLite database, move it away"));
            return new Stored(null, null);
        }
    }

    private Finding disk() {
        Path dir = file.toAbsolutePath().getParent();
        try {
            FileStore store = Files.getFileStore(Files.exists(dir) ? dir : dir.getRoot());
            long free = store.getUsableSpace();
            String detail = mib(free) + " free of " + mib(store.getTotalSpace()) + " on " + dir;
            String fix = "free space on " + dir + " (the store needs room for its backlog and WAL), or lower"
                    + " agent.store.max-records / agent.store.synced-retention";
            if (free < limits.minFreeBytes()) {
                return Finding.fail("disk", detail + ", below " + mib(limits.minFreeBytes()), fix);
            }
            if (free < 2 * limits.minFreeBytes()) {
                return Finding.warn("disk", detail, fix);
            }
            return Finding.ok("disk", detail);
        } catch (IOException e) {
            return Finding.warn("disk", "cannot read free space of " + dir + ": " + e.getMessage(), "");
        }
    }

    private Finding backlog(Connection c) throws SQLException {
        long pending;
        Long oldest;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), min(created_at) FROM telemetry_data"
                     + " WHERE sync_status IN ('pending', 'syncing')")) {
            pending = rs.getLong(1);
            long min = rs.getLong(2);
            oldest = rs.wasNull() ? null : min;
        }
        if (oldest == null) {
            return Finding.ok("backlog", "0 records pending");
        }
        Duration age = Duration.ofMillis(Math.max(0, clock.millis() - oldest));
        String detail = pending + " records pending, the oldest written " + human(age) + " ago";
        if (age.compareTo(limits.maxBacklogAge()) > 0) {
            return Finding.warn("backlog", detail, "the backlog is not draining: see the connectivity, TLS and"
                    + " token checks above and `edgesync agent status` (last-error); docs/troubleshooting.md");
        }
        return Finding.ok("backlog", detail);
    }

    private static Finding lastSync(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT direction, finished_at, status, error FROM sync_log"
                     + " ORDER BY id DESC LIMIT 1")) {
            if (!rs.next()) {
                return Finding.ok("last sync", "none yet");
            }
            String what = rs.getString("direction") + " at " + java.time.Instant.ofEpochMilli(rs.getLong("finished_at"))
                    + ": " + rs.getString("status");
            String error = rs.getString("error");
            if (error != null) {
                return Finding.warn("last sync", what + ": " + error,
                        "see the checks above for the cause; the agent retries by itself");
            }
            return Finding.ok("last sync", what);
        }
    }

    private static String integrity(Connection c) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check(5)")) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        }
        return String.join("; ", lines);
    }

    private static String state(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM agent_state WHERE state_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static String mib(long bytes) {
        return (bytes / (1024 * 1024)) + " MiB";
    }

    static String human(Duration d) {
        if (d.toDays() > 0) {
            return d.toDays() + " d " + d.toHoursPart() + " h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + " min " + d.toSecondsPart() + " s";
        }
        return d.toSeconds() + " s";
    }
}
