package io.edgesync.agent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.embedded.TempDirs;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Group commit under SIGKILL: a real agent process, concurrent single writes, killed mid-stream. */
class GroupCommitCrashIT {
    Path dir;

    @BeforeEach
    void setUp() {
        dir = TempDirs.create("group-commit-crash-");
    }

    @AfterEach
    void tearDown() {
        TempDirs.deleteRecursively(dir);
    }

    @Test
    void everyWriteThatReturnedIsStoredAfterAKillDuringConcurrentSingleWrites() throws Exception {
        // GIVEN an agent process with 8 threads each storing one reading per call, acknowledging each return
        Path db = dir.resolve("agent.db");
        Path acks = dir.resolve("acks.txt");
        Files.createFile(acks);
        try (ChildJvm child = ChildJvm.start("writers", dir.resolve("child.log"), "128m",
                ConcurrentWritersChild.class, db.toString(), acks.toString(), "8")) {
            // WHEN it is killed with SIGKILL once thousands of writes have returned
            Await.until(Duration.ofSeconds(120), () -> {
                if (!child.alive()) {
                    throw new IllegalStateException("writers exited; log " + child.log());
                }
                return Files.size(acks);
            }, n -> n > 5_000L * 41, "5,000 acknowledged writes in " + acks);
            child.kill();
        }
        // THEN every acknowledged id is in the store once it is opened again
        Set<String> acknowledged = new HashSet<>();
        for (String line : Files.readAllLines(acks)) {
            if (line.startsWith("ack ") && line.length() == 40) { // a torn last line is not an acknowledgement
                acknowledged.add(line.substring(4));
            }
        }
        try (LocalStore store = LocalStore.open(db, java.time.Clock.systemUTC())) {
            assertTrue(store.totalRecords() >= acknowledged.size(), "stored " + store.totalRecords());
        }
        Set<String> stored = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM telemetry_data")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(stored);
        assertTrue(acknowledged.size() >= 5_000, "acknowledged " + acknowledged.size());
        assertEquals(List.of(), List.copyOf(lost).subList(0, Math.min(10, lost.size())),
                lost.size() + " of " + acknowledged.size() + " acknowledged writes are missing");
    }
}
