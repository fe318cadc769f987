package io.edgesync.agent.plan;

import io.edgesync.agent.sync.UploadException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link NodeSync} cycles on a thread of its own: one every {@code agent.node-sync.interval}
 * and one at once on every {@link #wake()} ("sync now": the command or an MQTT notification). Wakes
 * that arrive while a cycle is queued fold into it.
 */
public final class NodeSyncLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeSyncLoop.class);

    private final NodeSync sync;
    private final String deviceId;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean queued = new AtomicBoolean();

    private NodeSyncLoop(NodeSync sync, String deviceId) {
        this.sync = sync;
        this.deviceId = deviceId;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edge-agent-node-sync-" + deviceId);
            t.setDaemon(true);
            return t;
        });
    }

    public static NodeSyncLoop start(NodeSync sync, String deviceId, Duration interval) {
        NodeSyncLoop loop = new NodeSyncLoop(sync, deviceId);
        loop.executor.scheduleWithFixedDelay(loop::cycleQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return loop;
    }

    /** Polls the plan now (after the cycle running, if any). */
    public void wake() {
        if (queued.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    queued.set(false);
                    cycleQuietly();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                queued.set(false); // closing
            }
        }
    }

    private void cycleQuietly() {
        try {
            NodeSync.Cycle c = sync.cycle();
            if (!"empty".equals(c.status()) && !"skipped".equals(c.status())) {
                LOG.info("event=node_sync_cycle device={} sync={} status={}", deviceId, c.syncId(), c.status());
            }
        } catch (UploadException | RuntimeException e) {
            LOG.warn("event=node_sync_failed device={} reason=\"{}\"", deviceId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
