package io.edgesync.agent;

import io.edgesync.agent.collect.LocalIngestServer;
import io.edgesync.agent.plan.NodeSyncLoop;
import io.edgesync.agent.sync.Backoff;
import io.edgesync.agent.sync.UploadException;
import io.edgesync.agent.tables.FileWatcher;
import io.edgesync.agent.tables.TableSync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's background work: the local endpoint, an upload cycle every {@code agent.sync-interval}
 * (paused while a 401 stands; {@link #wakeUpload()}, {@code POST /sync-now} on the local endpoint
 * and a {@value #FLAG_FILE} file in the database's directory start one at once), the file watcher
 * when it has roots, and with a dispatcher the command long-poll loop (backing off on
 * errors), a heartbeat plus config check every {@code agent.heartbeat-interval}, and the sync plan
 * poll every {@code agent.node-sync.interval} ({@link NodeSyncLoop}).
 */
final class AgentLoops implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentLoops.class);
    /** The manual trigger file: created by anyone, deleted by the agent when it starts the sync. */
    static final String FLAG_FILE = ".sync_now";
    private static final long FLAG_POLL_MS = 250;

    private final EdgeAgent agent;
    private final AgentConfig config;
    private final ScheduledExecutorService executor;
    private final LocalIngestServer server;
    private volatile boolean stopped;
    private volatile NodeSyncLoop nodeSync;
    private volatile FileWatcher watcher;
    private final Semaphore wake = new Semaphore(0);
    private final Path flagFile;

    private AgentLoops(EdgeAgent agent, AgentConfig config, LocalIngestServer server) {
        this.agent = agent;
        this.config = config;
        this.server = server;
        Path parent = config.databaseFile().toAbsolutePath().getParent();
        this.flagFile = (parent == null ? Path.of(".") : parent).resolve(FLAG_FILE);
        this.executor = Executors.newScheduledThreadPool(4, r -> {
            Thread t = new Thread(r, "edge-agent-" + config.deviceId());
            t.setDaemon(true);
            return t;
        });
    }

    static AgentLoops start(EdgeAgent agent, AgentConfig config) {
        LocalIngestServer server = config.httpPort() >= 0 ? LocalIngestServer.start(agent, config.httpPort()) : null;
        AgentLoops loops = new AgentLoops(agent, config, server);
        if (!config.tables().watcherRoots().isEmpty()) {
            loops.watcher = FileWatcher.start(config.tables(), config.tables().watcherFile(config.databaseFile()));
        }
        loops.executor.execute(loops::uploadLoop);
        loops.executor.scheduleWithFixedDelay(loops::checkFlagFile, FLAG_POLL_MS, FLAG_POLL_MS, TimeUnit.MILLISECONDS);
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

    /** Starts an upload cycle now, or right after the one running. */
    void wakeUpload() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    private void uploadLoop() {
        while (!stopped) {
            uploadQuietly();
            try {
                wake.tryAcquire(config.syncInterval().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void checkFlagFile() {
        try {
            if (Files.deleteIfExists(flagFile)) {
                LOG.info("event=sync_requested device={} by=flag_file", config.deviceId());
                wakeUpload();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("event=sync_flag_unreadable file={} reason=\"{}\"", flagFile, e.getMessage());
        }
    }

    int httpPort() {
        return server == null ? -1 : server.port();
    }

    private void uploadQuietly() {
        try {
            if (!agent.syncStopped()) {
                agent.syncNow();
                if (agent.lastTableRuns().stream().anyMatch(TableSync.RunResult::more)) {
                    wakeUpload(); // a source has rows left past agent.tables.max-rows-per-cycle: next cycle at once
                }
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
        if (watcher != null) {
            watcher.close();
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
