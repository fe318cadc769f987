package io.edgesync.dispatcher.command;

import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Long-polls without holding a thread per waiting device. A poll reads the database; when nothing
 * is there it waits for a signal from this instance ({@link #signal}, at once) or the re-check
 * interval (commands created by another dispatcher instance), whichever comes first, until its
 * deadline. A poll is registered before each read, so a signal that arrives during the read is
 * not lost; only one read runs at a time per poll, so nothing delivered is dropped by it.
 */
public final class LongPoll implements AutoCloseable {

    /** Delivers what is waiting for a device (marks it delivered). */
    @FunctionalInterface
    public interface Delivery {
        List<CommandView> deliver(String deviceId) throws Exception;
    }

    private final Delivery delivery;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final long recheckNanos;
    private final Map<String, Set<Waiter>> registered = new ConcurrentHashMap<>();
    private final AtomicInteger armed = new AtomicInteger();
    private volatile boolean closed;

    public LongPoll(Delivery delivery, ExecutorService workers, ScheduledExecutorService timer, Duration recheck) {
        this.delivery = Objects.requireNonNull(delivery);
        this.workers = Objects.requireNonNull(workers);
        this.timer = Objects.requireNonNull(timer);
        this.recheckNanos = recheck.toNanos();
    }

    /** Answers with the delivered commands as soon as there are some, or an empty list after {@code wait}. */
    public CompletableFuture<List<CommandView>> poll(String deviceId, Duration wait) {
        CompletableFuture<List<CommandView>> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + wait.toNanos();
        submit(() -> round(deviceId, deadline, result), result);
        return result;
    }

    /** A command for the device was committed: wake its polls. */
    public void signal(String deviceId) {
        Set<Waiter> set = registered.get(deviceId);
        if (set != null) {
            set.forEach(Waiter::signal);
        }
    }

    /** Polls waiting now (not reading), for the metrics. */
    public int waiting() {
        return armed.get();
    }

    private void round(String deviceId, long deadline, CompletableFuture<List<CommandView>> result) {
        if (result.isDone()) {
            return;
        }
        if (closed) {
            result.complete(List.of());
            return;
        }
        Waiter w = new Waiter(deviceId, () -> submit(() -> round(deviceId, deadline, result), result));
        registered.compute(deviceId, (k, set) -> {
            Set<Waiter> s = set != null ? set : ConcurrentHashMap.newKeySet();
            s.add(w);
            return s;
        });
        List<CommandView> delivered;
        try {
            delivered = delivery.deliver(deviceId);
        } catch (Exception e) {
            w.discard();
            result.completeExceptionally(e);
            return;
        }
        long left = deadline - System.nanoTime();
        if (!delivered.isEmpty() || left <= 0) {
            w.discard();
            result.complete(delivered);
            return;
        }
        w.arm(Math.min(left, recheckNanos));
    }

    private void submit(Runnable task, CompletableFuture<?> result) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new ApiException(ErrorCode.UNAVAILABLE, "too many polls in progress",
                    Map.of(), Duration.ofSeconds(1)));
        }
    }

    /** One wait of one poll: reading, then armed (timer running), then done; runs the next round once. */
    private final class Waiter {
        private final String deviceId;
        private final Runnable next;
        private boolean signalled;
        private boolean isArmed;
        private boolean done;
        private ScheduledFuture<?> timeout;

        Waiter(String deviceId, Runnable next) {
            this.deviceId = deviceId;
            this.next = next;
        }

        /** After an empty read: wait for a signal or the timer; a signal during the read fires at once. */
        void arm(long nanos) {
            synchronized (this) {
                if (done) {
                    return;
                }
                if (!signalled) {
                    isArmed = true;
                    armed.incrementAndGet();
                    timeout = timer.schedule(this::signal, nanos, TimeUnit.NANOSECONDS);
                    return;
                }
                done = true;
            }
            unregister();
            next.run();
        }

        void signal() {
            synchronized (this) {
                if (done) {
                    return;
                }
                if (!isArmed) {
                    signalled = true;
                    return;
                }
                done = true;
                armed.decrementAndGet();
                if (timeout != null) {
                    timeout.cancel(false);
                }
            }
            unregister();
            next.run();
        }

        /** The round answered: no next round. */
        void discard() {
            synchronized (this) {
                done = true;
            }
            unregister();
        }

        private void unregister() {
            registered.computeIfPresent(deviceId, (k, set) -> {
                set.remove(this);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /** Waiting polls answer with an empty list at once; new rounds read nothing. */
    @Override
    public void close() {
        closed = true;
        registered.values().forEach(set -> set.forEach(Waiter::signal));
    }
}
