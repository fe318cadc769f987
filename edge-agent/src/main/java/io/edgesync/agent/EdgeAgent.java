package io.edgesync.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesync.agent.cloud.CloudLink;
import io.edgesync.agent.cloud.CommandHandler;
import io.edgesync.agent.cloud.BuiltInCommands;
import io.edgesync.agent.cloud.CommandRunner;
import io.edgesync.agent.cloud.DispatcherClient;
import io.edgesync.agent.function.EdgeFunctions;
import io.edgesync.agent.function.FunctionPipeline;
import io.edgesync.agent.function.FunctionStats;
import io.edgesync.agent.function.ModuleDownloader;
import io.edgesync.agent.function.RunFunctionCommand;
import io.edgesync.agent.plan.NodeSync;
import io.edgesync.agent.plan.PlanRunner;
import io.edgesync.agent.store.CommandQueue;
import io.edgesync.agent.store.EdgeSchemaStore;
import io.edgesync.agent.store.FunctionStore;
import io.edgesync.agent.store.GroupCommit;
import io.edgesync.agent.store.DeviceConfigStore;
import io.edgesync.agent.store.LocalStore;
import io.edgesync.agent.store.StoreException;
import io.edgesync.agent.store.StoreFullException;
import io.edgesync.agent.sync.Backoff;
import io.edgesync.agent.sync.TelemetrySync;
import io.edgesync.agent.sync.TelemetryUploader;
import io.edgesync.agent.sync.UploadException;
import io.edgesync.agent.store.TableSyncRuns;
import io.edgesync.agent.sync.TableRowsUploader;
import io.edgesync.agent.tables.TableSync;
import io.edgesync.agent.tls.AgentHttp;
import io.edgesync.shared.config.ConfigException;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.model.RecordValidator;
import io.edgesync.shared.model.Rejection;
import io.edgesync.shared.model.TelemetryRecord;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge agent, for embedding: sensors hand it readings, which it stores in SQLite at once and
 * ships to the gateway when it can; it also takes commands and config from the dispatcher.
 * {@link #start()} runs it in the background ({@link AgentLoops}); everything also runs on demand.
 */
public final class EdgeAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeAgent.class);
    public static final String VERSION = "0.1.0";

    private final AgentConfig config;
    private final LocalStore store;
    private final GroupCommit writes;
    private final TelemetrySync sync;
    private final TableSync tableSync;
    private final DispatcherClient dispatcher;
    private final CloudLink cloud;
    private final Enroller enroller;
    private final NodeSync nodeSync;
    private final EdgeFunctions functions;
    private final FunctionPipeline pipeline;
    private final Clock clock;
    private final Object syncLock = new Object();
    private volatile TelemetrySync.CycleResult lastCycle;
    private volatile List<TableSync.RunResult> lastTableRuns = List.of();
    private AgentLoops loops;

    private EdgeAgent(AgentConfig config, LocalStore store, AgentHttp http, Clock clock, DoubleSupplier random) {
        this.config = config;
        this.store = store;
        this.writes = new GroupCommit(store);
        this.clock = clock;
        this.functions = new EdgeFunctions(new FunctionStore(store), new ModuleDownloader(http.downloads(), config.requestTimeout(),
                config.functions().maxModuleBytes()), config.functions());
        this.pipeline = new FunctionPipeline(functions::active, config.functions().onFailure(), new FunctionStats(),
                config.deviceId());
        TelemetryUploader uploader = new TelemetryUploader(http.gateway(), config.gatewayUrl(), this::token,
                config.requestTimeout());
        this.sync = new TelemetrySync(config.deviceId(), store, uploader, config.batchSize(),
                new Backoff(config.retry().toBackoff(), random), clock);
        List<io.edgesync.agent.tables.TableSource> sources = config.tables().effectiveSources(config.databaseFile());
        this.tableSync = sources.isEmpty() ? null : new TableSync(config.deviceId(), sources,
                new TableRowsUploader(http.gateway(), config.gatewayUrl(), this::token, config.requestTimeout()),
                new TableSyncRuns(store), config.tables().batchSize(), config.tables().maxRowsPerCycle(),
                new Backoff(config.retry().toBackoff(), random), clock);
        if (config.dispatcherUrl() != null) {
            dispatcher = new DispatcherClient(http.dispatcher(), config.dispatcherUrl(), this::token, config.requestTimeout());
            DeviceConfigStore deviceConfig = new DeviceConfigStore(store);
            Map<String, CommandHandler> handlers = new HashMap<>(
                    BuiltInCommands.handlers(clock, this::syncNow, this::syncConfigNow, this::wakeNodeSync));
            handlers.put(RunFunctionCommand.TYPE, new RunFunctionCommand(functions::active, pipeline.stats()));
            CommandRunner runner = new CommandRunner(new CommandQueue(store), handlers);
            cloud = new CloudLink(config.deviceId(), VERSION, dispatcher, runner, deviceConfig, store,
                    this::pendingCount, clock);
            enroller = new Enroller(store, dispatcher);
            nodeSync = new NodeSync(config.deviceId(), dispatcher, new PlanRunner(new EdgeSchemaStore(store), functions),
                    NodeSync.schedules(new Backoff(config.retry().toBackoff(), random)));
        } else {
            nodeSync = null;
            dispatcher = null;
            cloud = null;
            enroller = null;
        }
    }

    /** With {@code http} for every request, whatever {@link AgentConfig#tls()} says. */
    public static EdgeAgent open(AgentConfig config, HttpClient http, Clock clock, DoubleSupplier random) {
        return open(config, AgentHttp.same(http), clock, random, true);
    }

    /**
     * Opens the store to collect records beside a running agent (another process): no restart
     * recovery, which would disturb that agent's batch in flight. Use it without {@link #start()}.
     */
    public static EdgeAgent attach(AgentConfig config) {
        return open(config.withHttpPortOff(), AgentHttp.from(config.tls(), config.requestTimeout()), Clock.systemUTC(),
                Math::random, false);
    }

    private static EdgeAgent open(AgentConfig config, AgentHttp http, Clock clock, DoubleSupplier random,
                                  boolean recover) {
        LocalStore store = LocalStore.open(config.databaseFile(), config.store(), clock);
        try {
            String deviceId = config.deviceId() != null ? config.deviceId() : store.state(AgentState.DEVICE_ID);
            if (deviceId == null) {
                throw new ConfigException("agent.device-id is required (or run `edgesync agent enroll` first)");
            }
            if (!recover) {
                return new EdgeAgent(config.withDeviceId(deviceId), store, http, clock, random);
            }
            store.putState(AgentState.DEVICE_ID, deviceId);
            int released = store.releaseSyncing();
            if (released > 0) {
                LOG.info("event=resend_after_restart device={} records={}", deviceId, released);
            }
            int interrupted = new CommandQueue(store).failInterrupted();
            if (interrupted > 0) {
                LOG.warn("event=commands_interrupted device={} commands={}", deviceId, interrupted);
            }
            return new EdgeAgent(config.withDeviceId(deviceId), store, http, clock, random);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public static EdgeAgent open(AgentConfig config, HttpClient http, Clock clock) {
        return open(config, http, clock, Math::random);
    }

    /** With HTTP clients built from the configuration ({@link AgentConfig#tls()}). */
    public static EdgeAgent open(AgentConfig config) {
        return open(config, AgentHttp.from(config.tls(), config.requestTimeout()), Clock.systemUTC(), Math::random,
                true);
    }

    private long syncConfigNow() throws UploadException {
        return cloud.syncConfig();
    }

    public String deviceId() {
        return config.deviceId();
    }

    public AgentConfig config() {
        return config;
    }

    /** The token uploads and dispatcher calls carry: configured, else the one enrolment stored. */
    String token() {
        return config.token() != null ? config.token() : store.state(AgentState.DEVICE_TOKEN);
    }

    /** Store transactions that committed records (one per group of concurrent writes). */
    public long storeCommits() {
        return writes.commits();
    }

    /** Stores one reading with a new id; returns the id. */
    public String record(String sensorId, String dataType, double value, String unit) {
        TelemetryRecord r = new TelemetryRecord(UUID.randomUUID().toString(), config.deviceId(), sensorId,
                clock.millis(), dataType, value, unit, null, 1, null, null);
        submit(List.of(r));
        return r.id();
    }

    /**
     * Stores records after the gateway's validation; all or none. Concurrent callers share one
     * transaction ({@link GroupCommit}); a call returns once its records are committed.
     */
    public int submit(List<TelemetryRecord> records) {
        List<JsonNode> nodes = new ArrayList<>(records.size());
        for (TelemetryRecord r : records) {
            nodes.add(Json.mapper().valueToTree(r));
        }
        return submitJson(nodes);
    }

    /**
     * Validates JSON records with the gateway's rules and stores them, all or none. A record
     * without an {@code id} gets a new UUID.
     *
     * @throws ApiException {@code invalid_request} (400) naming the first bad record, or
     *                      {@code unavailable} (503, reason {@code store_full}) under reject-new
     */
    public int submitJson(List<JsonNode> records) {
        List<TelemetryRecord> valid = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            RecordValidator.Result result = validate(i, records.get(i));
            if (!result.ok()) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, "record " + i + ": " + result.rejection().message(),
                        Map.of("index", i, "code", result.rejection().code()), null);
            }
            valid.add(result.record());
        }
        return insert(valid);
    }

    /**
     * Stores the valid records of a stream and returns the refused ones (index, code, reason),
     * which are not stored.
     */
    public List<Rejection> submitEach(List<JsonNode> records) {
        List<TelemetryRecord> valid = new ArrayList<>(records.size());
        List<Rejection> refused = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            RecordValidator.Result result = validate(i, records.get(i));
            if (result.ok()) {
                valid.add(result.record());
            } else {
                refused.add(result.rejection());
            }
        }
        insert(valid);
        return refused;
    }

    private RecordValidator.Result validate(int index, JsonNode node) {
        if (node instanceof ObjectNode o && !o.has("id")) {
            o = o.deepCopy();
            o.put("id", UUID.randomUUID().toString());
            node = o;
        }
        return RecordValidator.validate(index, node, config.deviceId());
    }

    private int insert(List<TelemetryRecord> valid) {
        List<TelemetryRecord> toStore = pipeline.apply(valid);
        try {
            return writes.insert(toStore);
        } catch (StoreFullException e) {
            throw new ApiException(ErrorCode.UNAVAILABLE, e.getMessage(), Map.of("reason", "store_full"),
                    Duration.ofSeconds(Math.max(1, config.syncInterval().toSeconds())));
        } catch (StoreException e) {
            // a failing SQLite write (disk full, I/O error, read-only file): nothing was stored, try again later
            LOG.warn("event=store_write_failed records={} error={}", valid.size(), e.getMessage());
            throw new ApiException(ErrorCode.UNAVAILABLE, "the edge store cannot write now; retry later",
                    Map.of("reason", "store_unavailable"), Duration.ofSeconds(Math.max(1, config.syncInterval().toSeconds())));
        }
    }

    /**
     * Runs one upload cycle now (one at a time): telemetry, then every table source (unless the
     * gateway refused the credentials), then prunes settled records past retention.
     */
    public TelemetrySync.CycleResult syncNow() {
        synchronized (syncLock) {
            TelemetrySync.CycleResult result = sync.syncPending();
            lastCycle = result;
            if (result.unauthorized()) {
                lastTableRuns = List.of();
                onUnauthorized(result.failure().getMessage());
            } else if (tableSync != null) {
                lastTableRuns = tableSync.syncAll();
            }
            store.pruneSettled();
            return result;
        }
    }

    /** The table runs of the last cycle (one per source), empty without sources. */
    public List<TableSync.RunResult> lastTableRuns() {
        return lastTableRuns;
    }

    /** The local record of table sync runs (and whether each reached the central sync_logs). */
    public TableSyncRuns tableRuns() {
        return new TableSyncRuns(store);
    }

    /** Starts an upload cycle in the background within a second (no-op before {@link #start()}). */
    public synchronized void requestSync() {
        if (loops != null) {
            loops.wakeUpload();
        }
    }

    private void onUnauthorized(String reason) {
        if (config.enrollmentKey() != null && enroller != null) {
            try {
                enroller.enrol(config.enrollmentKey(), config.deviceId(), config.deviceType());
                return;
            } catch (Exception e) {
                LOG.error("event=reenrol_failed device={} reason=\"{}\"", config.deviceId(), e.getMessage());
                store.putState(AgentState.SYNC_STOPPED, reason + "; re-enrolment refused: " + e.getMessage());
                return;
            }
        }
        store.putState(AgentState.SYNC_STOPPED, reason);
    }

    /** True after a 401 until enrolment succeeds: background uploads are paused. */
    public boolean syncStopped() {
        return store.state(AgentState.SYNC_STOPPED) != null;
    }

    /** Registers with the configured enrollment key and stores the token. */
    public DispatcherClient.Enrollment enrol() throws Exception {
        if (enroller == null) {
            throw new ConfigException("agent.dispatcher-url is required to enrol");
        }
        return enroller.enrol(config.enrollmentKey(), config.deviceId(), config.deviceType());
    }

    /** The dispatcher link, or null when agent.dispatcher-url is empty. */
    public CloudLink cloud() {
        return cloud;
    }

    /** Sync plans (schema migrations, functions), or null when agent.dispatcher-url is empty. */
    public NodeSync nodeSync() {
        return nodeSync;
    }

    /** The edge functions installed here (deploy, remove, the ones readings pass through). */
    public EdgeFunctions functions() {
        return functions;
    }

    /** Edge function calls and failures since start. */
    public FunctionStats functionStats() {
        return pipeline.stats();
    }

    /** The edge schema migrations applied to this store. */
    public EdgeSchemaStore schemas() {
        return new EdgeSchemaStore(store);
    }

    /** Polls the sync plan now, in the background (no-op before {@link #start()}). */
    public synchronized void wakeNodeSync() {
        if (loops != null) {
            loops.wakeNodeSync();
        }
    }

    public DeviceConfigStore deviceConfig() {
        return new DeviceConfigStore(store);
    }

    public CommandQueue commands() {
        return new CommandQueue(store);
    }

    /** Syncs, takes commands and heartbeats in the background; also serves the local endpoint. */
    public synchronized void start() {
        if (loops == null) {
            loops = AgentLoops.start(this, config);
        }
    }

    /** Port of the local endpoint, or -1. */
    public synchronized int httpPort() {
        return loops == null ? -1 : loops.httpPort();
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

    public AgentStatus status() {
        return AgentStatus.read(store);
    }

    public TelemetrySync.CycleResult lastCycle() {
        return lastCycle;
    }

    LocalStore store() {
        return store;
    }

    @Override
    public synchronized void close() {
        if (loops != null) {
            loops.close();
            loops = null;
        }
        functions.close();
        store.close();
    }
}
