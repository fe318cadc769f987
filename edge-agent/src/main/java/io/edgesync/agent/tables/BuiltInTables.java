package io.edgesync.agent.tables;

import java.util.List;
import java.util.Optional;

/**
 * The two tables the agent knows out of the box, with the schema of the design (docs/edge-agent.md):
 * desktop activity sessions, written by whatever program tracks them, and file change events,
 * written by the agent's own {@link FileWatcher}. The DDL creates them in a file that lacks them.
 */
public final class BuiltInTables {
    /** A built-in table: name, key, time column and the SQLite DDL. */
    public record BuiltIn(String name, String keyColumn, String timeColumn, String ddl) {
    }

    public static final BuiltIn DESKTOP_ACTIVITY_SESSIONS = new BuiltIn("desktop_activity_sessions", "id",
            "start_time", """
            CREATE TABLE IF NOT EXISTS desktop_activity_sessions (
                id               INTEGER PRIMARY KEY AUTOINCREMENT,
                start_time       REAL NOT NULL,
                start_time_iso   TEXT,
                end_time         REAL,
                end_time_iso     TEXT,
                duration_seconds REAL,
                application      TEXT,
                window_title     TEXT,
                is_idle          INTEGER DEFAULT 0,
                project_name     TEXT,
                created_at       TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            )""");

    public static final BuiltIn FILE_CHANGE_EVENTS = new BuiltIn("file_change_events", "id", "event_time", """
            CREATE TABLE IF NOT EXISTS file_change_events (
                id             INTEGER PRIMARY KEY AUTOINCREMENT,
                event_time     REAL NOT NULL,
                event_time_iso TEXT,
                event_type     TEXT NOT NULL CHECK (event_type IN ('created', 'modified', 'deleted', 'moved')),
                file_path      TEXT NOT NULL,
                relative_path  TEXT,
                file_name      TEXT,
                file_extension TEXT,
                file_size      INTEGER,
                is_symlink     INTEGER DEFAULT 0,
                monitored_root TEXT,
                project_name   TEXT,
                created_at     TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            )""");

    public static final List<BuiltIn> ALL = List.of(DESKTOP_ACTIVITY_SESSIONS, FILE_CHANGE_EVENTS);

    private BuiltInTables() {
    }

    public static Optional<BuiltIn> find(String name) {
        return ALL.stream().filter(b -> b.name().equals(name)).findFirst();
    }
}
