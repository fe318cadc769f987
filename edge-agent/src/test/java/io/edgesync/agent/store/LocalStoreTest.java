package io.edgesync.agent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.model.TelemetryRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalStoreTest {
    Path dir;
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @BeforeEach
    void setUp() {
        dir = TempDirs.create("store-");
    }

    @AfterEach
    void tearDown() {
        TempDirs.deleteRecursively(dir);
    }

    static List<TelemetryRecord> records(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> new TelemetryRecord(prefix + i, "dev-1", "s1", 1000L + i,
                "temperature", i, "C", null, 1, null, null)).toList();
    }

    StoreOptions options(long max, StoreOptions.FullPolicy policy) {
        return new StoreOptions(StoreOptions.Durability.FULL, max, policy, Duration.ofHours(1));
    }

    @Test
    void storeAtVersionOneIsMigratedToTheLatestKeepingItsRecords() throws Exception {
        // GIVEN a store created by an agent that knew only schema version 1, holding records
        Path file = dir.resolve("old.db");
        try (LocalStore old = LocalStore.open(file, StoreOptions.defaults(), clock, 1)) {
            assertEquals(1, old.schemaVersion());
            old.insert(records("r", 3));
        }
        // WHEN this agent opens it
        try (LocalStore store = LocalStore.open(file, clock)) {
            // THEN it is at the latest version, with the new index, and the records are still pending
            assertEquals(Migrations.latest(), store.schemaVersion());
            assertEquals(3, store.count("pending"));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                     + " AND name = 'telemetry_data_status_synced_at'")) {
            assertEquals(1, rs.getInt(1));
        }
    }

    @Test
    void rejectNewRefusesWhenUnsyncedRecordsFillTheStoreAndStoresNothingOfTheBatch() {
        try (LocalStore store = LocalStore.open(dir.resolve("a.db"), options(10, StoreOptions.FullPolicy.REJECT_NEW),
                clock)) {
            store.insert(records("a", 8));
            assertThrows(StoreFullException.class, () -> store.insert(records("b", 3)));
            assertEquals(8, store.count("pending"));
            assertEquals(0, store.droppedRecords());
        }
    }

    @Test
    void syncedRecordsArePrunedFirstUnderEitherPolicy() {
        try (LocalStore store = LocalStore.open(dir.resolve("a.db"), options(10, StoreOptions.FullPolicy.REJECT_NEW),
                clock)) {
            store.insert(records("a", 10));
            List<TelemetryRecord> claimed = store.claimPending(4);
            store.markSynced(claimed.stream().map(TelemetryRecord::id).toList());

            assertEquals(3, store.insert(records("b", 3)));

            assertEquals(1, store.count("synced"));
            assertEquals(9, store.count("pending"));
            assertEquals(10, store.totalRecords());
        }
    }

    @Test
    void dropOldestDropsTheOldestPendingRecordsAndCountsThem() throws Exception {
        Path file = dir.resolve("a.db");
        try (LocalStore store = LocalStore.open(file, options(10, StoreOptions.FullPolicy.DROP_OLDEST), clock)) {
            store.insert(records("a", 10));
            store.insert(records("b", 4));
            assertEquals(10, store.count("pending"));
            assertEquals(4, store.droppedRecords());
        }
        List<String> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM telemetry_data ORDER BY rowid")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        assertEquals(List.of("a4", "a5", "a6", "a7", "a8", "a9", "b0", "b1", "b2", "b3"), ids);
    }

    @Test
    void settledRecordsArePrunedAfterTheRetentionPeriodOnly() {
        try (LocalStore store = LocalStore.open(dir.resolve("a.db"), options(100, StoreOptions.FullPolicy.REJECT_NEW),
                clock)) {
            store.insert(records("a", 5));
            store.markSynced(store.claimPending(3).stream().map(TelemetryRecord::id).toList());
            store.markFailed("a3", "invalid_field: test");
            clock.advance(Duration.ofMinutes(59));
            assertEquals(0, store.pruneSettled());
            clock.advance(Duration.ofMinutes(2));
            assertEquals(4, store.pruneSettled());
            assertEquals(1, store.count("pending"));
            assertEquals(1, store.totalRecords());
        }
    }

    @Test
    void recordsLeftSyncingByACrashArePendingAgainAfterRestart() {
        Path file = dir.resolve("a.db");
        LocalStore crashed = LocalStore.open(file, clock);
        crashed.insert(records("a", 5));
        assertEquals(5, crashed.claimPending(5).size());
        crashed.close();
        try (LocalStore store = LocalStore.open(file, clock)) {
            assertEquals(5, store.count("syncing"));
            assertEquals(5, store.releaseSyncing());
            assertEquals(5, store.claimPending(10).size());
        }
    }

    @Test
    void aRecordInsertedTwiceIsStoredOnce() {
        try (LocalStore store = LocalStore.open(dir.resolve("a.db"), clock)) {
            assertEquals(3, store.insert(records("a", 3)));
            assertEquals(0, store.insert(records("a", 3)));
            assertEquals(3, store.totalRecords());
            assertTrue(store.claimPending(10).size() == 3);
        }
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
