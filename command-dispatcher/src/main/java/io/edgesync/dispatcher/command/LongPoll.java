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
 * Long-polls without holding a thread per waiting device and without re-reading the database on a
 * timer. A poll reads the database once; when nothing is there it waits, costing no query, until a
 * {@link #signal} for its device (a command was created on this instance, or {@code command.events}
 * told of one from another instance, see {@code CommandWakeups}) makes it read again, or until its
 * deadline, when it answers an empty list without reading. A poll is registered before each read,
 * so a signal that arrives during the read is not lost; only one read runs at a time per poll, so
 * nothing delivered is dropped by it. A device holds at most {@code maxPerDevice} polls at once; one
 * more is refused with 429 and Retry-After.
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
    private final Map<String, Set<Waiter>> registered = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> held = new ConcurrentHashMap<>();
    private final AtomicInteger armed = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
    private final int maxPerDevice;
    private volatile boolean closed;

    public LongPoll(Delivery delivery, ExecutorService workers, ScheduledExecutorService timer, int maxPerDevice) {
        if (maxPerDevice < 1) {
            throw new IllegalArgumentException("maxPerDevice must be at least 1");
        }
        this.maxPerDevice = maxPerDevice;
        this.delivery = Objects.requireNonNull(delivery);
        this.workers = Objects.requireNonNull(workers);
        this.timer = Objects.requireNonNull(timer);
    }

    /** Answers with the delivered commands as soon as there are some, or an empty list after {@code wait}. */
    public CompletableFuture<List<CommandView>> poll(String deviceId, Duration wait) {
        CompletableFuture<List<CommandView>> result = new CompletableFuture<>();
        if (!hold(deviceId)) {
            refused.incrementAndGet();
            result.completeExceptionally(new ApiException(ErrorCode.RATE_LIMITED, "device " + deviceId
                    + " already holds " + maxPerDevice + " long-polls; wait for one to answer",
                    Map.of("maxPollsPerDevice", maxPerDevice), Duration.ofSeconds(1)));
            return result;
        }
        CompletableFuture<List<CommandView>> answer = result.whenComplete((r, e) -> release(deviceId));
        long deadline = System.nanoTime() + wait.toNanos();
        submit(() -> round(deviceId, deadline, result), result);
        return answer; // done only once the device's slot is free again
    }

    /** A command for the device was committed: wake its polls. */
    public void signal(String deviceId) {
        Set<Waiter> set = registered.get(deviceId);
        if (set != null) {
            set.forEach(Waiter::signal);
        }
    }

    /** Counts one more poll of the device unless it already holds the most allowed. */
    private boolean hold(String deviceId) {
        boolean[] ok = {false};
        held.compute(deviceId, (k, n) -> {
            AtomicInteger c = n != null ? n : new AtomicInteger();
            if (c.get() < maxPerDevice) {
                c.incrementAndGet();
                ok[0] = true;
            }
            return c.get() == 0 ? null : c;
        });
        return ok[0];
    }

    private void release(String deviceId) {
        held.computeIfPresent(deviceId, (k, c) -> c.decrementAndGet() == 0 ? null : c);
    }

    /** Polls refused so far because their device held the most allowed, for the metrics. */
    public long refused() {
        return refused.get();
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
        Waiter w = new Waiter(deviceId, () -> submit(() -> round(deviceId, deadline, result), result),
                () -> result.complete(List.of()));
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
        w.arm(left);
    }

    private void submit(Runnable task, CompletableFuture<?> result) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new ApiException(ErrorCode.UNAVAILABLE, "too many polls in progress",
                    Map.of(), Duration.ofSeconds(1)));
        }
    }

    /**
     * One wait of one poll: reading, then armed (deadline timer running), then done; a signal runs the
     * next round once, the deadline answers empty.
     */
    private final class Waiter {
        private final String deviceId;
        private final Runnable next;
        private final Runnable expired;
        private boolean signalled;
        private boolean isArmed;
        private boolean done;
        private ScheduledFuture<?> timeout;

        Waiter(String deviceId, Runnable next, Runnable expired) {
            this.deviceId = deviceId;
            this.next = next;
            this.expired = expired;
        }

        /** After an empty read: wait for a signal or the deadline; a signal during the read fires at once. */
        void arm(long nanos) {
            synchronized (this) {
                if (done) {
                    return;
                }
                if (!signalled) {
                    isArmed = true;
                    armed.incrementAndGet();
                    timeout = timer.schedule(this::deadline, nanos, TimeUnit.NANOSECONDS);
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

        /** The deadline passed with no signal: answer empty, read nothing. */
        void deadline() {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                armed.decrementAndGet();
            }
            unregister();
            expired.run();
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
