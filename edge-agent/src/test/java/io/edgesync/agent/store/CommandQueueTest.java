package io.edgesync.agent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.embedded.TempDirs;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommandQueueTest {
    Path dir;

    @BeforeEach
    void setUp() {
        dir = TempDirs.create("queue-");
    }

    @AfterEach
    void tearDown() {
        TempDirs.deleteRecursively(dir);
    }

    @Test
    void aCommandDeliveredTwiceIsQueuedOnce() {
        try (LocalStore store = LocalStore.open(dir.resolve("a.db"), Clock.systemUTC())) {
            CommandQueue queue = new CommandQueue(store);
            assertTrue(queue.offer("c1", "ping", null));
            assertFalse(queue.offer("c1", "ping", null));
            assertEquals("c1", queue.claimNext().commandId());
            assertNull(queue.claimNext());
        }
    }

    @Test
    void aCommandRunningWhenTheAgentDiedIsReportedFailedNotRunAgain() {
        Path file = dir.resolve("a.db");
        try (LocalStore store = LocalStore.open(file, Clock.systemUTC())) {
            CommandQueue queue = new CommandQueue(store);
            queue.offer("c1", "sync-now", null);
            queue.claimNext();
        }
        try (LocalStore store = LocalStore.open(file, Clock.systemUTC())) {
            CommandQueue queue = new CommandQueue(store);
            assertEquals(1, queue.failInterrupted());
            assertNull(queue.claimNext());
            List<CommandQueue.QueuedCommand> owed = queue.unacknowledged();
            assertEquals(1, owed.size());
            assertEquals("failed", owed.get(0).status());
            queue.markAcknowledged("c1");
            assertTrue(queue.unacknowledged().isEmpty());
        }
    }

    @Test
    void configChangesApplyTogetherWithTheirVersionAndAnOlderVersionChangesNothing() {
        try (LocalStore store = LocalStore.open(dir.resolve("a.db"), Clock.systemUTC())) {
            DeviceConfigStore config = new DeviceConfigStore(store);
            assertTrue(config.apply(3, List.of(new DeviceConfigStore.Change("interval", "10"),
                    new DeviceConfigStore.Change("mode", "eco"))));
            assertEquals(3, config.version());
            assertFalse(config.apply(2, List.of(new DeviceConfigStore.Change("interval", "99"))));
            assertTrue(config.apply(4, List.of(new DeviceConfigStore.Change("mode", null))));
            assertEquals(Map.of("interval", "10"), config.all());
            assertEquals(4, config.version());
        }
    }
}
