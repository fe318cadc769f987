package io.edgesync.agent.cloud;

import io.edgesync.agent.store.DeviceConfigStore;
import io.edgesync.agent.store.LocalStore;
import io.edgesync.agent.store.SyncLog;
import io.edgesync.agent.store.SyncLogEntry;
import io.edgesync.agent.sync.UploadException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncing down: one command round (long-poll, store, run, acknowledge), config changes applied in
 * one transaction, and the heartbeat that reports pending count, agent and config version and the
 * device clock. Each round that received or failed writes a {@code sync_log} row (direction {@code down}).
 */
public final class CloudLink {
    private static final Logger LOG = LoggerFactory.getLogger(CloudLink.class);
    /** The dispatcher accepts up to 1,000 characters of lastError. */
    static final int MAX_ERROR = 500;

    private final String deviceId;
    private final String agentVersion;
    private final DispatcherClient client;
    private final CommandRunner runner;
    private final DeviceConfigStore config;
    private final LocalStore store;
    private final LongSupplier pendingRecords;
    private final Clock clock;

    public CloudLink(String deviceId, String agentVersion, DispatcherClient client, CommandRunner runner,
                     DeviceConfigStore config, LocalStore store, LongSupplier pendingRecords, Clock clock) {
        this.deviceId = Objects.requireNonNull(deviceId);
        this.agentVersion = Objects.requireNonNull(agentVersion);
        this.client = Objects.requireNonNull(client);
        this.runner = Objects.requireNonNull(runner);
        this.config = Objects.requireNonNull(config);
        this.store = Objects.requireNonNull(store);
        this.pendingRecords = Objects.requireNonNull(pendingRecords);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Acknowledges what is owed, long-polls up to {@code wait}, runs what came. */
    public CommandRunner.Round commandRound(Duration wait) throws UploadException {
        long started = clock.millis();
        try {
            runner.runReceived();
            runner.acknowledge(client);
            List<DispatcherClient.Command> delivered = client.pollCommands(deviceId, wait);
            CommandRunner.Round round = runner.round(client, delivered);
            if (round.received() > 0) {
                new SyncLog(store).record(new SyncLogEntry("down", started, clock.millis(), delivered.size(), round.executed(),
                        round.failed(), "ok", null));
            }
            return round;
        } catch (UploadException e) {
            new SyncLog(store).record(new SyncLogEntry("down", started, clock.millis(), 0, 0, 0, "failed", e.getMessage()));
            throw e;
        }
    }

    /** Fetches and applies config changes after the stored version; returns the version now held. */
    public long syncConfig() throws UploadException {
        long current = config.version();
        DispatcherClient.ConfigChanges changes = client.configSince(deviceId, current);
        if (changes.version() > current && config.apply(changes.version(), changes.changes())) {
            LOG.info("event=config_applied device={} version={} keys={}", deviceId, changes.version(),
                    changes.changes().size());
        }
        return config.version();
    }

    /** Reports pending count, agent version, config version, device time and the last upload's outcome. */
    public void heartbeat() throws UploadException {
        Optional<SyncLogEntry> last = new SyncLog(store).latest("up");
        String status = last.map(CloudLink::outcome).orElse(null);
        String error = last.filter(e -> !"ok".equals(outcome(e))).map(CloudLink::error).orElse(null);
        client.heartbeat(deviceId, new DispatcherClient.Heartbeat(pendingRecords.getAsLong(), agentVersion,
                config.version(), Instant.ofEpochMilli(clock.millis()).toString(), status, error));
    }

    /** ok, failed (could not upload), or rejected (uploaded, but the gateway refused records). */
    static String outcome(SyncLogEntry e) {
        if (!"ok".equals(e.status())) {
            return "failed";
        }
        return e.rejected() > 0 ? "rejected" : "ok";
    }

    private static String error(SyncLogEntry e) {
        String text = e.error() != null ? e.error() : e.rejected() + " of " + e.sent() + " records refused by the gateway";
        return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) : text;
    }
}
