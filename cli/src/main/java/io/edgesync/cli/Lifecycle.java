package io.edgesync.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * Stops what a command started, in reverse order, exactly once: when the command returns, or on
 * Ctrl-C / SIGTERM (a shutdown hook that waits until everything is closed).
 */
final class Lifecycle implements AutoCloseable {
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook;
    private boolean done;

    private Lifecycle() {
        hook = new Thread(() -> {
            stopRequested.countDown();
            closeAll();
        }, "edgesync-shutdown");
    }

    static Lifecycle install() {
        Lifecycle lifecycle = new Lifecycle();
        Runtime.getRuntime().addShutdownHook(lifecycle.hook);
        return lifecycle;
    }

    synchronized <T extends AutoCloseable> T manage(T resource) {
        resources.push(resource);
        return resource;
    }

    /**
     * For a command that waits in {@link #awaitStop}: SIGTERM and SIGINT request a stop instead of starting
     * the JVM's shutdown, so the command closes everything and returns its own status (a clean stop is 0,
     * not the 143 a signal-initiated shutdown would give). If the command has not ended {@code grace} after
     * the signal (still starting, stuck), the JVM exits with 143 and the shutdown hook closes what is open.
     */
    void stopOnSignals(long graceMillis) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                requestStop();
                Thread fallback = new Thread(() -> {
                    try {
                        Thread.sleep(graceMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                    System.exit(128 + signal.getNumber());
                }, "edgesync-stop-fallback");
                fallback.setDaemon(true);
                fallback.start();
            });
        }
    }

    /** As Ctrl-C would: whoever waits in {@link #awaitStop} goes on. */
    void requestStop() {
        stopRequested.countDown();
    }

    boolean stopRequested() {
        return stopRequested.getCount() == 0;
    }

    void awaitStop() throws InterruptedException {
        stopRequested.await();
    }

    /** Waits up to the given time for a stop request; true if one came. */
    boolean awaitStop(long millis) throws InterruptedException {
        return stopRequested.await(millis, TimeUnit.MILLISECONDS);
    }

    private void closeAll() {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            while (!resources.isEmpty()) {
                try {
                    resources.pop().close();
                } catch (Exception e) {
                    System.err.println("warning: stop failed: " + e);
                }
            }
        }
        closed.countDown();
    }

    @Override
    public void close() {
        closeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or ran; it closed everything
        }
    }
}
