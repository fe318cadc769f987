package io.edgesync.agent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.model.TelemetryRecord;
import io.edgesync.testsupport.Await;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
    Path dir;
    ExecutorService writers = Executors.newFixedThreadPool(8);

    @BeforeEach
    void setUp() {
        dir = TempDirs.create("group-commit-");
    }

    @AfterEach
    void tearDown() {
        writers.shutdownNow();
        TempDirs.deleteRecursively(dir);
    }

    @Test
    void writesQueuedDuringACommitShareTheNextTransaction() throws Exception {
        try (LocalStore store = LocalStore.open(dir.resolve("a.db"), Clock.systemUTC())) {
            GroupCommit group = new GroupCommit(store);
            List<CompletableFuture<Integer>> results = new ArrayList<>();
            // GIVEN a first write whose commit is held up (the store busy), and 7 single writes arriving meanwhile
            synchronized (store) {
                results.add(CompletableFuture.supplyAsync(() -> group.insert(records("first", 1)), writers));
                Await.until(Duration.ofSeconds(10), () -> group.committing() && group.queued() == 0, ok -> ok,
                        "the first write taken");
                for (int i = 0; i < 7; i++) {
                    String prefix = "w" + i + "-";
                    results.add(CompletableFuture.supplyAsync(() -> group.insert(records(prefix, 1)), writers));
                }
                Await.until(Duration.ofSeconds(10), group::queued, n -> n == 7, "7 writes queued");
            }
            // WHEN the store is free again THEN every write returns stored, in two transactions rather than eight
            for (CompletableFuture<Integer> r : results) {
                assertEquals(1, r.get());
            }
            assertEquals(2, group.commits());
            assertEquals(8, store.count("pending"));
        }
    }

    @Test
    void aWriteTheStoreCannotTakeFailsAloneAndTheRestOfItsGroupIsStored() throws Exception {
        StoreOptions tenRecords = new StoreOptions(StoreOptions.Durability.FULL, 10, StoreOptions.FullPolicy.REJECT_NEW,
                Duration.ofDays(1));
        try (LocalStore store = LocalStore.open(dir.resolve("b.db"), tenRecords, Clock.systemUTC())) {
            GroupCommit group = new GroupCommit(store);
            List<CompletableFuture<Integer>> results = new ArrayList<>();
            // GIVEN one record being committed and three writes of 4 queued behind it: 13 for a store of 10
            synchronized (store) {
                results.add(CompletableFuture.supplyAsync(() -> group.insert(records("first", 1)), writers));
                Await.until(Duration.ofSeconds(10), () -> group.committing() && group.queued() == 0, ok -> ok,
                        "the first write taken");
                for (int i = 0; i < 3; i++) {
                    String prefix = "w" + i + "-";
                    results.add(CompletableFuture.supplyAsync(() -> group.insert(records(prefix, 4)), writers));
                    int queued = i + 1;
                    Await.until(Duration.ofSeconds(10), group::queued, n -> n == queued, queued + " writes queued");
                }
            }
            // WHEN they are committed THEN the first two of 4 are stored and only the third is refused
            assertEquals(1, results.get(0).get());
            assertEquals(4, results.get(1).get());
            assertEquals(4, results.get(2).get());
            Throwable refused = results.get(3).handle((ok, e) -> e).get();
            assertInstanceOf(StoreFullException.class, refused.getCause());
            assertEquals(9, store.count("pending"));
        }
    }

    @Test
    void aDuplicateIdIsCountedOnlyForTheWriteThatStoredItFirst() {
        try (LocalStore store = LocalStore.open(dir.resolve("c.db"), Clock.systemUTC())) {
            GroupCommit group = new GroupCommit(store);
            assertEquals(3, group.insert(records("r", 3)));
            assertEquals(0, group.insert(records("r", 3)));
            assertEquals(3, store.count("pending"));
        }
    }

    static List<TelemetryRecord> records(String prefix, int n) {
        return LocalStoreTest.records(prefix, n);
    }
}
