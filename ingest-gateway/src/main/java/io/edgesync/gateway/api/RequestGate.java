package io.edgesync.gateway.api;

import java.time.Duration;

/**
 * Counts requests being handled and stops letting new ones in on shutdown, so the gateway can
 * finish what it accepted before it closes the producer.
 */
public final class RequestGate {
    private int active;
    private boolean open = true;

    /** @return false once closed: the caller answers 503 */
    public synchronized boolean tryEnter() {
        if (!open) {
            return false;
        }
        active++;
        return true;
    }

    public synchronized void leave() {
        active--;
        if (active == 0) {
            notifyAll();
        }
    }

    public synchronized int active() {
        return active;
    }

    /** Closes the gate and waits until every admitted request has left; false if the timeout passed first. */
    public synchronized boolean closeAndDrain(Duration timeout) throws InterruptedException {
        open = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (active > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
