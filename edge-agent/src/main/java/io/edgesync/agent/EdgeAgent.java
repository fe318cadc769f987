package io.edgesync.agent;

import io.edgesync.agent.store.LocalStore;
import io.edgesync.agent.sync.TelemetrySync;
import io.edgesync.agent.sync.TelemetryUploader;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.model.RecordValidator;
import io.edgesync.shared.model.TelemetryRecord;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge agent, for embedding: sensors hand it readings, which it stores in SQLite at once and
 * ships to the gateway when it can.
 */
public final class EdgeAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeAgent.class);

    private final AgentConfig config;
    private final LocalStore store;
    private final TelemetrySync sync;
    private final Clock clock;
    private final AtomicReference<TelemetrySync.CycleResult> lastCycle = new AtomicReference<>();
    private ScheduledExecutorService scheduler;

    private EdgeAgent(AgentConfig config, LocalStore store, TelemetrySync sync, Clock clock) {
        this.config = config;
        this.store = store;
        this.sync = sync;
        this.clock = clock;
    }

    public static EdgeAgent open(AgentConfig config, HttpClient http, Clock clock) {
        LocalStore store = LocalStore.open(config.databaseFile(), clock);
        int released = store.releaseSyncing();
        if (released > 0) {
            LOG.info("event=resend_after_restart device={} records={}", config.deviceId(), released);
        }
        TelemetryUploader uploader = new TelemetryUploader(http, config.gatewayUrl(), config::token,
                config.requestTimeout());
        TelemetrySync sync = new TelemetrySync(config.deviceId(), store, uploader, config.batchSize(), config.retry(),
                clock);
        return new EdgeAgent(config, store, sync, clock);
    }

    public static EdgeAgent open(AgentConfig config) {
        return open(config, HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build(), Clock.systemUTC());
    }

    public String deviceId() {
        return config.deviceId();
    }

    /** Stores one reading with a new id; returns the id. */
    public String record(String sensorId, String dataType, double value, String unit) {
        TelemetryRecord r = new TelemetryRecord(UUID.randomUUID().toString(), config.deviceId(), sensorId,
                clock.millis(), dataType, value, unit, null, 1, null, null);
        submit(List.of(r));
        return r.id();
    }

    /** Stores records after the gateway's validation; all or none. */
    public int submit(List<TelemetryRecord> records) {
        List<JsonNode> nodes = new ArrayList<>(records.size());
        for (TelemetryRecord r : records) {
            nodes.add(Json.mapper().valueToTree(r));
        }
        return submitJson(nodes);
    }

    /**
     * Validates JSON records with the gateway's rules and stores them, all or none.
     *
     * @throws ApiException {@code invalid_request} naming the first bad record
     */
    public int submitJson(List<JsonNode> records) {
        List<TelemetryRecord> valid = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            RecordValidator.Result result = RecordValidator.validate(i, records.get(i), config.deviceId());
            if (!result.ok()) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, "record " + i + ": " + result.rejection().message(),
                        Map.of("index", i, "code", result.rejection().code()), null);
            }
            valid.add(result.record());
        }
        return store.insert(valid);
    }

    /** Runs one upload cycle now. */
    public TelemetrySync.CycleResult syncNow() {
        TelemetrySync.CycleResult result = sync.syncPending();
        lastCycle.set(result);
        return result;
    }

    /** Syncs in the background every {@code agent.sync-interval}. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edge-agent-sync-" + config.deviceId());
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::cycleQuietly, 0, config.syncInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cycleQuietly() {
        try {
            syncNow();
        } catch (RuntimeException e) {
            LOG.warn("event=sync_cycle_failed device={} reason=\"{}\"", config.deviceId(), e.toString());
        }
    }

    public long pendingCount() {
        return store.count("pending") + store.count("syncing");
    }

    public long syncedCount() {
        return store.count("synced");
    }

    public long failedCount() {
        return store.count("failed");
    }

    public TelemetrySync.CycleResult lastCycle() {
        return lastCycle.get();
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        store.close();
    }
}
