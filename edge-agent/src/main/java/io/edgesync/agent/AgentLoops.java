package io.edgesync.agent;

import io.edgesync.agent.collect.LocalIngestServer;
import io.edgesync.agent.plan.NodeSyncLoop;
import io.edgesync.agent.sync.Backoff;
import io.edgesync.agent.sync.UploadException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's background work: the local endpoint, an upload cycle every {@code agent.sync-interval}
 * (paused while a 401 stands), and with a dispatcher the command long-poll loop (backing off on
 * errors), a heartbeat plus config check every {@code agent.heartbeat-interval}, and the sync plan
 * poll every {@code agent.node-sync.interval} ({@link NodeSyncLoop}).
 */
final class AgentLoops implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentLoops.class);

    private final EdgeAgent agent;
    private final AgentConfig config;
    private final ScheduledExecutorService executor;
    private final LocalIngestServer server;
    private volatile boolean stopped;
    private volatile NodeSyncLoop nodeSync;

    private AgentLoops(EdgeAgent agent, AgentConfig config, LocalIngestServer server) {
        this.agent = agent;
        this.config = config;
        this.server = server;
        this.executor = Executors.newScheduledThreadPool(3, r -> {
            Thread t = new Thread(r, "edge-agent-" + config.deviceId());
            t.setDaemon(true);
            return t;
        });
    }

    static AgentLoops start(EdgeAgent agent, AgentConfig config) {
        LocalIngestServer server = config.httpPort() >= 0 ? LocalIngestServer.start(agent, config.httpPort()) : null;
        AgentLoops loops = new AgentLoops(agent, config, server);
        loops.executor.scheduleWithFixedDelay(loops::uploadQuietly, 0, config.syncInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        if (agent.cloud() != null) {
            loops.executor.execute(loops::commandLoop);
            loops.executor.scheduleWithFixedDelay(loops::heartbeatQuietly, 0,
                    config.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
            loops.nodeSync = NodeSyncLoop.start(agent.nodeSync(), config.deviceId(), config.nodeSyncInterval());
        }
        return loops;
    }

    void wakeNodeSync() {
        NodeSyncLoop loop = nodeSync;
        if (loop != null) {
            loop.wake();
        }
    }

    int httpPort() {
        return server == null ? -1 : server.port();
    }

    private void uploadQuietly() {
        try {
            if (!agent.syncStopped()) {
                agent.syncNow();
            }
        } catch (RuntimeException e) {
            LOG.warn("event=sync_cycle_failed device={} reason=\"{}\"", config.deviceId(), e.toString());
        }
    }

    private void heartbeatQuietly() {
        try {
            agent.cloud().syncConfig();
            agent.cloud().heartbeat();
        } catch (UploadException | RuntimeException e) {
            LOG.warn("event=heartbeat_failed device={} reason=\"{}\"", config.deviceId(), e.getMessage());
        }
    }

    private void commandLoop() {
        Backoff backoff = new Backoff(config.retry().toBackoff(), Math::random);
        int failures = 0;
        while (!stopped && !Thread.currentThread().isInterrupted()) {
            try {
                agent.cloud().commandRound(config.commandWait());
                failures = 0;
            } catch (UploadException | RuntimeException e) {
                if (stopped) {
                    return;
                }
                failures++;
                long wait = backoff.waitMillis(failures, e instanceof UploadException u ? u.retryAfter() : null);
                LOG.warn("event=command_poll_failed device={} wait_ms={} reason=\"{}\"", config.deviceId(), wait,
                        e.getMessage());
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        if (server != null) {
            server.close();
        }
        if (nodeSync != null) {
            nodeSync.close();
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("event=agent_stop_slow device={}", config.deviceId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
