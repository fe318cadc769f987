package io.edgesync.cli.agent;

import io.edgesync.agent.tables.BuiltInTables;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/**
 * Another program writing a SQLite file, in a JVM of its own: creates both built-in tables (WAL),
 * then writes {@code events} file change events and {@code sessions} desktop sessions in small
 * transactions, {@code pauseMs} apart, opening each session and closing it (an update of its end
 * time) a few writes later. Arguments: file events sessions pauseMs. Prints event=writer_done.
 */
public final class SourceWriterMain {
    private SourceWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int events = Integer.parseInt(args[1]);
        int sessions = Integer.parseInt(args[2]);
        long pause = Long.parseLong(args[3]);
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(10_000);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties())) {
            try (Statement s = c.createStatement()) {
                s.execute(BuiltInTables.FILE_CHANGE_EVENTS.ddl());
                s.execute(BuiltInTables.DESKTOP_ACTIVITY_SESSIONS.ddl());
            }
            System.out.println("event=writer_started file=" + file);
            int steps = Math.max(events, sessions);
            for (int i = 0; i < steps; i++) {
                c.setAutoCommit(false);
                if (i < events) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO file_change_events (event_time,"
                            + " event_time_iso, event_type, file_path, relative_path, file_name, file_extension,"
                            + " file_size, is_symlink, monitored_root, project_name) VALUES (?, ?, ?, ?, ?, ?, 'txt',"
                            + " ?, 0, '/w', 'p')")) {
                        ps.setDouble(1, 1_700_000_000 + i / 10.0);
                        ps.setString(2, "2023-11-14T22:13:20Z");
                        ps.setString(3, i % 4 == 0 ? "created" : i % 4 == 1 ? "modified" : i % 4 == 2 ? "deleted" : "moved");
                        ps.setString(4, "/w/p/f" + i + ".txt");
                        ps.setString(5, "p/f" + i + ".txt");
                        ps.setString(6, "f" + i + ".txt");
                        ps.setLong(7, i * 10L);
                        ps.executeUpdate();
                    }
                }
                if (i < sessions) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO desktop_activity_sessions (start_time,"
                            + " application, window_title, is_idle) VALUES (?, 'editor', ?, 0)")) {
                        ps.setDouble(1, 1_700_000_000 + i);
                        ps.setString(2, "window " + i);
                        ps.executeUpdate();
                    }
                }
                if (i >= 3 && i - 3 < sessions) {
                    // the session opened three steps ago ends now: an update of a row that may be synced already
                    try (PreparedStatement ps = c.prepareStatement("UPDATE desktop_activity_sessions SET end_time ="
                            + " start_time + 60, duration_seconds = 60 WHERE window_title = ?")) {
                        ps.setString(1, "window " + (i - 3));
                        ps.executeUpdate();
                    }
                }
                c.commit();
                c.setAutoCommit(true);
                if (pause > 0) {
                    Thread.sleep(pause);
                }
            }
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("UPDATE desktop_activity_sessions SET end_time ="
                    + " start_time + 60, duration_seconds = 60 WHERE end_time IS NULL")) {
                ps.executeUpdate();
            }
        }
        System.out.println("event=writer_done events=" + events + " sessions=" + sessions);
        System.out.flush();
    }
}
