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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Long-polls without holding a thread per waiting device. A poll reads the database; when nothing
 * is there it waits for a signal from this instance ({@link #signal}, at once) or the re-check
 * interval (commands created by another dispatcher instance), whichever comes first, until its
 * deadline. Only one read runs at a time per poll, so nothing delivered is ever dropped by it.
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
    private final Map<String, AtomicLong> versions = new ConcurrentHashMap<>();
    private final Map<String, Set<Waiter>> waiting = new ConcurrentHashMap<>();
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

    /** A command for the device was committed: wake its waiting polls. */
    public void signal(String deviceId) {
        versions.computeIfAbsent(deviceId, k -> new AtomicLong()).incrementAndGet();
        Set<Waiter> set = waiting.get(deviceId);
        if (set != null) {
            set.forEach(Waiter::fire);
        }
    }

    /** Polls waiting now, for the metrics. */
    public int waiting() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    private void round(String deviceId, long deadline, CompletableFuture<List<CommandView>> result) {
        if (result.isDone()) {
            return;
        }
        if (closed) {
            result.complete(List.of());
            return;
        }
        long seen = version(deviceId);
        List<CommandView> delivered;
        try {
            delivered = delivery.deliver(deviceId);
        } catch (Exception e) {
            result.completeExceptionally(e);
            return;
        }
        long left = deadline - System.nanoTime();
        if (!delivered.isEmpty() || left <= 0) {
            result.complete(delivered);
            return;
        }
        Waiter w = new Waiter(deviceId, () -> submit(() -> round(deviceId, deadline, result), result));
        waiting.compute(deviceId, (k, set) -> {
            Set<Waiter> s = set != null ? set : ConcurrentHashMap.newKeySet();
            s.add(w);
            return s;
        });
        w.timeout = timer.schedule(w::fire, Math.min(left, recheckNanos), TimeUnit.NANOSECONDS);
        if (version(deviceId) != seen) {
            w.fire();
        }
    }

    private long version(String deviceId) {
        AtomicLong v = versions.get(deviceId);
        return v == null ? 0 : v.get();
    }

    private void submit(Runnable task, CompletableFuture<?> result) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new ApiException(ErrorCode.UNAVAILABLE, "too many polls in progress",
                    Map.of(), Duration.ofSeconds(1)));
        }
    }

    /** One wait of one poll: fires once, on a signal or its timer. */
    private final class Waiter {
        private final String deviceId;
        private final Runnable next;
        private final AtomicBoolean fired = new AtomicBoolean();
        private volatile ScheduledFuture<?> timeout;

        Waiter(String deviceId, Runnable next) {
            this.deviceId = deviceId;
            this.next = next;
        }

        void fire() {
            if (!fired.compareAndSet(false, true)) {
                return;
            }
            waiting.computeIfPresent(deviceId, (k, set) -> {
                set.remove(this);
                return set.isEmpty() ? null : set;
            });
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
            next.run();
        }
    }

    /** Waiting polls answer with an empty list at once; new rounds read nothing. */
    @Override
    public void close() {
        closed = true;
        waiting.values().forEach(set -> set.forEach(Waiter::fire));
    }
}
