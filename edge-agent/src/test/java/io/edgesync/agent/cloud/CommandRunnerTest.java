package io.edgesync.agent.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.agent.store.CommandQueue;
import io.edgesync.agent.store.LocalStore;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.json.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {
    Path dir;

    @BeforeEach
    void setUp() {
        dir = TempDirs.create("runner-");
    }

    @AfterEach
    void tearDown() {
        TempDirs.deleteRecursively(dir);
    }

    @Test
    void aCommandDeliveredTwiceRunsOnce() {
        AtomicInteger runs = new AtomicInteger();
        try (LocalStore store = LocalStore.open(dir.resolve("a.db"), Clock.systemUTC())) {
            CommandRunner runner = new CommandRunner(new CommandQueue(store), Map.of("ping", p -> {
                runs.incrementAndGet();
                return CommandHandler.Outcome.executed("pong");
            }));
            DispatcherClient.Command ping = new DispatcherClient.Command("c1", "ping", null);
            assertEquals(1, runner.receive(List.of(ping)));
            runner.runReceived();
            // the dispatcher delivers it again (the ack was lost)
            assertEquals(0, runner.receive(List.of(ping)));
            runner.runReceived();
            assertEquals(1, runs.get());
            assertEquals("executed", new CommandQueue(store).find("c1").status());
        }
    }

    @Test
    void anUnknownTypeFailsWithTheReasonAndAThrowingHandlerFails() {
        try (LocalStore store = LocalStore.open(dir.resolve("a.db"), Clock.systemUTC())) {
            CommandQueue queue = new CommandQueue(store);
            CommandRunner runner = new CommandRunner(queue, Map.of("boom", p -> {
                throw new IllegalStateException("sensor offline");
            }));
            runner.receive(List.of(new DispatcherClient.Command("c1", "reboot", Json.mapper().createObjectNode()),
                    new DispatcherClient.Command("c2", "boom", null)));
            int[] ran = runner.runReceived();
            assertEquals(0, ran[0]);
            assertEquals(2, ran[1]);
            CommandQueue.QueuedCommand unknown = queue.find("c1");
            assertEquals("failed", unknown.status());
            assertTrue(unknown.result().contains("unknown command type 'reboot'"), unknown.result());
            assertTrue(queue.find("c2").result().contains("sensor offline"));
        }
    }
}
