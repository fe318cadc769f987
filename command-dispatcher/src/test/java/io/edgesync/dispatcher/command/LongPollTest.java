package io.edgesync.dispatcher.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The waiting logic alone: deliveries come from a queue the test fills, as the database would. */
class LongPollTest {
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ConcurrentLinkedQueue<CommandView> queued = new ConcurrentLinkedQueue<>();
    private final AtomicInteger reads = new AtomicInteger();

    @AfterEach
    void stop() {
        workers.shutdownNow();
        timer.shutdownNow();
    }

    @Test
    void aSignalAnswersAWaitingPollAtOnce() throws Exception {
        LongPoll poll = new LongPoll(this::drain, workers, timer, 2);
        CompletableFuture<List<CommandView>> answer = poll.poll("d", Duration.ofSeconds(30));
        awaitWaiting(poll);

        long start = System.nanoTime();
        queued.add(command("c1"));
        poll.signal("d");
        List<CommandView> got = answer.get(10, TimeUnit.SECONDS);

        assertEquals(List.of("c1"), got.stream().map(CommandView::commandId).toList());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 1000);
        assertEquals(0, poll.waiting());
    }

    @Test
    void aWaitingPollReadsNothingUntilSignalledAndNothingAtItsDeadline() throws Exception {
        LongPoll poll = new LongPoll(this::drain, workers, timer, 2);
        CompletableFuture<List<CommandView>> woken = poll.poll("d", Duration.ofSeconds(30));
        CompletableFuture<List<CommandView>> idle = poll.poll("e", Duration.ofMillis(800));
        Await.until(Duration.ofSeconds(10), poll::waiting, n -> n == 2, "both polls waiting");
        queued.add(command("c2"));

        assertEquals(List.of(), idle.get(10, TimeUnit.SECONDS), "e answers empty at its deadline");
        assertEquals(2, reads.get(), "one read per poll: no re-read while waiting, none at the deadline");
        assertFalse(woken.isDone(), "an unsignalled poll does not find the command by itself");

        poll.signal("d");

        assertEquals(1, woken.get(10, TimeUnit.SECONDS).size());
        assertEquals(3, reads.get(), "the signal caused exactly one read");
    }

    @Test
    void anEmptyListAtTheDeadline() throws Exception {
        LongPoll poll = new LongPoll(this::drain, workers, timer, 2);
        long start = System.nanoTime();
        assertEquals(List.of(), poll.poll("d", Duration.ofMillis(300)).get(10, TimeUnit.SECONDS));
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 290);
    }

    @Test
    void aSignalDuringTheReadIsNotLost() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch signalled = new CountDownLatch(1);
        LongPoll poll = new LongPoll(deviceId -> {
            List<CommandView> out = drain(deviceId);
            if (reads.get() == 1) {
                reading.countDown();
                signalled.await(10, TimeUnit.SECONDS);
            }
            return out;
        }, workers, timer, 2);
        CompletableFuture<List<CommandView>> answer = poll.poll("d", Duration.ofSeconds(30));
        reading.await(10, TimeUnit.SECONDS);

        queued.add(command("c3"));
        poll.signal("d");
        signalled.countDown();

        assertEquals(1, answer.get(5, TimeUnit.SECONDS).size(), "answered without waiting for the deadline");
    }

    @Test
    void closingAnswersWaitingPollsEmpty() throws Exception {
        LongPoll poll = new LongPoll(this::drain, workers, timer, 2);
        CompletableFuture<List<CommandView>> answer = poll.poll("d", Duration.ofSeconds(30));
        awaitWaiting(poll);
        poll.close();
        assertEquals(List.of(), answer.get(10, TimeUnit.SECONDS));
        assertFalse(answer.isCompletedExceptionally());
    }

    @Test
    void aPollBeyondTheDeviceCapIsRefused429AndAFreedSlotIsReused() throws Exception {
        LongPoll poll = new LongPoll(this::drain, workers, timer, 2);
        CompletableFuture<List<CommandView>> first = poll.poll("d", Duration.ofSeconds(30));
        CompletableFuture<List<CommandView>> second = poll.poll("d", Duration.ofSeconds(30));
        CompletableFuture<List<CommandView>> other = poll.poll("e", Duration.ofSeconds(30));

        CompletableFuture<List<CommandView>> third = poll.poll("d", Duration.ofSeconds(30));

        ExecutionException refused = assertThrows(ExecutionException.class, () -> third.get(5, TimeUnit.SECONDS));
        ApiException api = assertInstanceOf(ApiException.class, refused.getCause());
        assertEquals(ErrorCode.RATE_LIMITED, api.code());
        assertEquals(429, api.code().status());
        assertEquals(Duration.ofSeconds(1), api.retryAfter());
        assertFalse(other.isDone(), "another device is not limited by d's polls");

        queued.add(command("c4"));
        poll.signal("d");
        Await.until(Duration.ofSeconds(10), () -> first.isDone() || second.isDone(), b -> b, "one of d's polls answered");
        CompletableFuture<List<CommandView>> again = poll.poll("d", Duration.ofMillis(200));
        assertEquals(List.of(), again.get(5, TimeUnit.SECONDS), "the freed slot takes a new poll");
        poll.close();
    }

    private List<CommandView> drain(String deviceId) {
        reads.incrementAndGet();
        List<CommandView> out = new ArrayList<>();
        for (CommandView c = queued.poll(); c != null; c = queued.poll()) {
            out.add(c);
        }
        return out;
    }

    private static void awaitWaiting(LongPoll poll) {
        Await.until(Duration.ofSeconds(10), poll::waiting, n -> n > 0, "a poll waiting");
    }

    private static CommandView command(String id) {
        return new CommandView(id, "d", "t", null, "delivered", null, 1, null, null, null, 1, null, null);
    }
}
