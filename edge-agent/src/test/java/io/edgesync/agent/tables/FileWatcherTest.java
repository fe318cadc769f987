package io.edgesync.agent.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.embedded.TempDirs;
import io.edgesync.testsupport.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The file watcher on a real directory tree, writing a real SQLite file. */
class FileWatcherTest {
    Path dir;
    Path root;
    Path db;

    @BeforeEach
    void setUp() throws Exception {
        dir = TempDirs.create("watcher-");
        root = Files.createDirectories(dir.resolve("root"));
        db = dir.resolve("events.db");
    }

    @AfterEach
    void tearDown() {
        TempDirs.deleteRecursively(dir);
    }

    TableSyncConfig config(List<String> exclude) {
        return new TableSyncConfig(List.of(), 100, 10_000, List.of(root), List.of("**"), exclude, null);
    }

    List<String> events() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT event_type, relative_path, file_name, file_extension,"
                     + " monitored_root FROM file_change_events ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2));
                assertEquals(root.toAbsolutePath().normalize().toString(), rs.getString(5));
            }
        }
        return out;
    }

    @Test
    void recordsCreateModifyDeleteAndMoveUnderTheRootAndInNewSubdirectories() throws Exception {
        try (FileWatcher watcher = FileWatcher.start(config(List.of("**/*.tmp")), db)) {
            Path a = Files.writeString(root.resolve("a.txt"), "one");
            Await.until(Duration.ofSeconds(10), this::events, e -> e.contains("created a.txt"), "created");
            Files.writeString(a, "two, longer");
            Await.until(Duration.ofSeconds(10), this::events, e -> e.contains("modified a.txt"), "modified");
            Files.move(a, root.resolve("b.txt"));
            Await.until(Duration.ofSeconds(10), this::events, e -> e.contains("moved b.txt"), "moved");
            Path sub = Files.createDirectories(root.resolve("sub"));
            Await.until(Duration.ofSeconds(10), () -> {
                Files.writeString(sub.resolve("c.md"), "x");
                return events();
            }, e -> e.contains("created sub/c.md") || e.contains("modified sub/c.md"), "a file in a new directory");
            Files.writeString(root.resolve("ignored.tmp"), "x");
            Files.delete(root.resolve("b.txt"));
            List<String> all = Await.until(Duration.ofSeconds(10), this::events, e -> e.contains("deleted b.txt"),
                    "deleted");
            assertTrue(all.stream().noneMatch(e -> e.contains("ignored.tmp")), all.toString());
            assertTrue(all.stream().noneMatch(e -> e.equals("deleted a.txt")), "a move is one row: " + all);
        }
    }
}
