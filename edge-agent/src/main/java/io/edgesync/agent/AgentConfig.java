package io.edgesync.agent;

import io.edgesync.agent.function.FunctionLimits;
import io.edgesync.agent.function.FunctionOptions;
import io.edgesync.agent.store.StoreOptions;
import io.edgesync.agent.tls.AgentTls;
import io.edgesync.shared.config.ConfigException;
import io.edgesync.agent.sync.TelemetrySync;
import io.edgesync.agent.tables.TableSyncConfig;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.config.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Typed configuration of one edge agent.
 *
 * @param deviceId      this device; null only before enrolment (then the enrolled id is used)
 * @param httpPort      port of the local {@code POST /telemetry} endpoint on 127.0.0.1; 0 picks one, -1 turns it off
 * @param enrollmentKey fleet enrollment key; when set, a 401 re-enrols instead of stopping
 */
public record AgentConfig(String deviceId, Path databaseFile, String gatewayUrl, String dispatcherUrl, String token,
                          int batchSize, Duration syncInterval, Duration requestTimeout,
                          TelemetrySync.RetryPolicy retry, StoreOptions store, int httpPort, String enrollmentKey,
                          Duration commandWait, Duration heartbeatInterval, String deviceType,
                          Duration nodeSyncInterval, FunctionOptions functions, TableSyncConfig tables,
                          AgentTls tls) {

    public static final Setting<String> DEVICE_ID = Setting.string("agent.device-id", null,
            "This device's id; may be left out when `agent enroll` obtains one.");
    public static final Setting<String> DATABASE = Setting.string("agent.database", "edge-agent.db",
            "Path of the agent's SQLite database.");
    public static final Setting<String> GATEWAY = Setting.string("agent.gateway-url", "http://127.0.0.1:7070",
            "Base URL of the ingest gateway.");
    public static final Setting<String> DISPATCHER = Setting.string("agent.dispatcher-url", "http://127.0.0.1:7071",
            "Base URL of the command dispatcher; empty turns commands, config and heartbeats off.");
    public static final Setting<String> TOKEN = Setting.secret("agent.token", null,
            "Device token (JWT) issued by the dispatcher; when unset, the token stored by `agent enroll` is used.");
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("agent.batch-size", 1000, 1, 5000,
            "Records per upload (halved for the cycle when the gateway answers 413).");
    public static final Setting<Duration> SYNC_INTERVAL = Setting.duration("agent.sync-interval", "5s",
            "Pause between sync cycles.");
    public static final Setting<Duration> REQUEST_TIMEOUT = Setting.duration("agent.request-timeout", "30s",
            "Timeout of one HTTP request.");
    public static final Setting<Integer> RETRY_ATTEMPTS = Setting.integer("agent.retry.max-attempts", 5, 1, 1000,
            "Upload attempts per batch in one cycle; when they run out the records stay pending for the next cycle.");
    public static final Setting<Duration> RETRY_INITIAL = Setting.duration("agent.retry.initial-interval", "1s",
            "First backoff interval (doubled per attempt, ±50% jitter; Retry-After raises it).");
    public static final Setting<Duration> RETRY_MAX = Setting.duration("agent.retry.max-interval", "60s",
            "Backoff cap.");
    public static final Setting<StoreOptions.Durability> DURABILITY = Setting.oneOf("agent.store.durability",
            StoreOptions.Durability.FULL, StoreOptions.Durability.class,
            "full: SQLite synchronous=FULL, an accepted record survives a power cut; normal: synchronous=NORMAL"
                    + " (WAL), survives an agent crash, a power cut may lose the last commits; faster.");
    public static final Setting<Long> MAX_RECORDS = Setting.longValue("agent.store.max-records", 2_000_000, 1,
            "Most records the local store keeps (any status). When reached, synced and failed records are pruned"
                    + " first, then agent.store.when-full decides.");
    public static final Setting<StoreOptions.FullPolicy> WHEN_FULL = Setting.oneOf("agent.store.when-full",
            StoreOptions.FullPolicy.REJECT_NEW, StoreOptions.FullPolicy.class,
            "reject-new: new records are refused with store_full (503); drop-oldest: the oldest unsynced records"
                    + " are dropped, counted and logged.");
    public static final Setting<Duration> RETENTION = Setting.duration("agent.store.synced-retention", "7d",
            "Synced and failed records older than this are pruned.");
    public static final Setting<Integer> HTTP_PORT = Setting.integer("agent.http.port", 7090, -1, 65535,
            "Port of the local POST /telemetry endpoint on 127.0.0.1; 0 picks a free one, -1 turns it off.");
    public static final Setting<String> ENROLLMENT_KEY = Setting.secret("agent.enrollment-key", null,
            "Fleet enrollment key for `agent enroll`; when set, a 401 re-enrols instead of stopping sync.");
    public static final Setting<Duration> COMMAND_WAIT = Setting.duration("agent.command-wait", "30s",
            "Long-poll wait for commands.");
    public static final Setting<Duration> HEARTBEAT_INTERVAL = Setting.duration("agent.heartbeat-interval", "30s",
            "Pause between heartbeats and config checks.");
    public static final Setting<String> DEVICE_TYPE = Setting.string("agent.device-type", "edge-agent",
            "Device type sent when enrolling.");

    public static final Setting<Duration> NODE_SYNC_INTERVAL = Setting.duration("agent.node-sync.interval", "30s",
            "Pause between sync plan polls (GET /api/v1/nodes/{id}/sync); a sync-now command polls at once.");

    public static final Setting<Duration> FUNCTION_TIME_LIMIT = Setting.duration("agent.functions.time-limit",
            "500ms", "Longest one edge function call may run on one reading (wall clock); then it is stopped (a timeout).");
    public static final Setting<Integer> FUNCTION_MAX_MEMORY_PAGES = Setting.integer(
            "agent.functions.max-memory-pages", 256, 1, 65536,
            "Most linear memory an edge function may use, in 64 KiB WebAssembly pages (256 = 16 MiB).");
    public static final Setting<FunctionOptions.OnFailure> FUNCTION_ON_FAILURE = Setting.oneOf(
            "agent.functions.on-failure", FunctionOptions.OnFailure.KEEP, FunctionOptions.OnFailure.class,
            "keep: a reading an edge function traps, times out or answers invalid output on is stored as it came in,"
                    + " flagged in metadata.edgeFunctionError; reject: it is not stored. Both are counted and logged.");
    public static final Setting<Long> FUNCTION_MAX_MODULE_BYTES = Setting.longValue(
            "agent.functions.max-module-bytes", 16L * 1024 * 1024, 8,
            "Largest edge function module the agent downloads; a larger one is refused.");

    public static final List<Setting<?>> SETTINGS = Stream.of(Stream.of(DEVICE_ID, DATABASE, GATEWAY,
            DISPATCHER, TOKEN, BATCH_SIZE, SYNC_INTERVAL, REQUEST_TIMEOUT, RETRY_ATTEMPTS, RETRY_INITIAL, RETRY_MAX,
            DURABILITY, MAX_RECORDS, WHEN_FULL, RETENTION, HTTP_PORT, ENROLLMENT_KEY, COMMAND_WAIT,
            HEARTBEAT_INTERVAL, DEVICE_TYPE, NODE_SYNC_INTERVAL, FUNCTION_TIME_LIMIT, FUNCTION_MAX_MEMORY_PAGES,
            FUNCTION_ON_FAILURE, FUNCTION_MAX_MODULE_BYTES), TableSyncConfig.SETTINGS.stream(),
            AgentTls.SETTINGS.stream()).<Setting<?>>flatMap(x -> x).toList();

    /** Without {@code tls}: the JDK's defaults. */
    public AgentConfig(String deviceId, Path databaseFile, String gatewayUrl, String dispatcherUrl, String token,
                       int batchSize, Duration syncInterval, Duration requestTimeout,
                       TelemetrySync.RetryPolicy retry, StoreOptions store, int httpPort, String enrollmentKey,
                       Duration commandWait, Duration heartbeatInterval, String deviceType, Duration nodeSyncInterval,
                       FunctionOptions functions, TableSyncConfig tables) {
        this(deviceId, databaseFile, gatewayUrl, dispatcherUrl, token, batchSize, syncInterval, requestTimeout, retry,
                store, httpPort, enrollmentKey, commandWait, heartbeatInterval, deviceType, nodeSyncInterval,
                functions, tables, AgentTls.DEFAULT);
    }

    /** Without table sync. */
    public AgentConfig(String deviceId, Path databaseFile, String gatewayUrl, String dispatcherUrl, String token,
                       int batchSize, Duration syncInterval, Duration requestTimeout,
                       TelemetrySync.RetryPolicy retry, StoreOptions store, int httpPort, String enrollmentKey,
                       Duration commandWait, Duration heartbeatInterval, String deviceType, Duration nodeSyncInterval,
                       FunctionOptions functions) {
        this(deviceId, databaseFile, gatewayUrl, dispatcherUrl, token, batchSize, syncInterval, requestTimeout, retry,
                store, httpPort, enrollmentKey, commandWait, heartbeatInterval, deviceType, nodeSyncInterval,
                functions, TableSyncConfig.none());
    }

    /** Without {@code functions}: {@link FunctionOptions#DEFAULT}. */
    public AgentConfig(String deviceId, Path databaseFile, String gatewayUrl, String dispatcherUrl, String token,
                       int batchSize, Duration syncInterval, Duration requestTimeout,
                       TelemetrySync.RetryPolicy retry, StoreOptions store, int httpPort, String enrollmentKey,
                       Duration commandWait, Duration heartbeatInterval, String deviceType, Duration nodeSyncInterval) {
        this(deviceId, databaseFile, gatewayUrl, dispatcherUrl, token, batchSize, syncInterval, requestTimeout, retry,
                store, httpPort, enrollmentKey, commandWait, heartbeatInterval, deviceType, nodeSyncInterval,
                FunctionOptions.DEFAULT);
    }

    /** Without {@code nodeSyncInterval}: 30 s. */
    public AgentConfig(String deviceId, Path databaseFile, String gatewayUrl, String dispatcherUrl, String token,
                       int batchSize, Duration syncInterval, Duration requestTimeout,
                       TelemetrySync.RetryPolicy retry, StoreOptions store, int httpPort, String enrollmentKey,
                       Duration commandWait, Duration heartbeatInterval, String deviceType) {
        this(deviceId, databaseFile, gatewayUrl, dispatcherUrl, token, batchSize, syncInterval, requestTimeout, retry,
                store, httpPort, enrollmentKey, commandWait, heartbeatInterval, deviceType, Duration.ofSeconds(30));
    }

    /** The first form: store defaults, no local endpoint, no enrolment. */
    public AgentConfig(String deviceId, Path databaseFile, String gatewayUrl, String dispatcherUrl, String token,
                       int batchSize, Duration syncInterval, Duration requestTimeout, TelemetrySync.RetryPolicy retry) {
        this(deviceId, databaseFile, gatewayUrl, dispatcherUrl, token, batchSize, syncInterval, requestTimeout, retry,
                StoreOptions.defaults(), -1, null, Duration.ofSeconds(30), Duration.ofSeconds(30), "edge-agent");
    }

    public static AgentConfig from(ConfigSource source) {
        String dispatcher = source.get(DISPATCHER);
        return new AgentConfig(blankToNull(source.get(DEVICE_ID)), Path.of(source.get(DATABASE)), source.get(GATEWAY),
                blankToNull(dispatcher), blankToNull(source.get(TOKEN)), source.get(BATCH_SIZE),
                source.get(SYNC_INTERVAL), source.get(REQUEST_TIMEOUT),
                new TelemetrySync.RetryPolicy(source.get(RETRY_ATTEMPTS), source.get(RETRY_INITIAL), 2.0,
                        source.get(RETRY_MAX)),
                new StoreOptions(source.get(DURABILITY), source.get(MAX_RECORDS), source.get(WHEN_FULL),
                        source.get(RETENTION)),
                source.get(HTTP_PORT), blankToNull(source.get(ENROLLMENT_KEY)), source.get(COMMAND_WAIT),
                source.get(HEARTBEAT_INTERVAL), source.get(DEVICE_TYPE), source.get(NODE_SYNC_INTERVAL),
                functions(source), TableSyncConfig.from(source), AgentTls.from(source));
    }

    private static FunctionOptions functions(ConfigSource source) {
        Duration limit = source.get(FUNCTION_TIME_LIMIT);
        if (limit.isZero() || limit.isNegative()) {
            throw new ConfigException(FUNCTION_TIME_LIMIT.key() + " must be a positive duration, got " + limit);
        }
        return new FunctionOptions(new FunctionLimits(limit, source.get(FUNCTION_MAX_MEMORY_PAGES)),
                source.get(FUNCTION_ON_FAILURE), source.get(FUNCTION_MAX_MODULE_BYTES));
    }

    public AgentConfig withDeviceId(String id) {
        return new AgentConfig(id, databaseFile, gatewayUrl, dispatcherUrl, token, batchSize, syncInterval,
                requestTimeout, retry, store, httpPort, enrollmentKey, commandWait, heartbeatInterval, deviceType,
                nodeSyncInterval, functions, tables, tls);
    }

    /** The same configuration without the local endpoint (for one-shot commands beside a running agent). */
    public AgentConfig withHttpPortOff() {
        return new AgentConfig(deviceId, databaseFile, gatewayUrl, dispatcherUrl, token, batchSize, syncInterval,
                requestTimeout, retry, store, -1, enrollmentKey, commandWait, heartbeatInterval, deviceType,
                nodeSyncInterval, functions, tables, tls);
    }

    /** The same configuration with other table sync settings. */
    public AgentConfig withTables(TableSyncConfig other) {
        return new AgentConfig(deviceId, databaseFile, gatewayUrl, dispatcherUrl, token, batchSize, syncInterval,
                requestTimeout, retry, store, httpPort, enrollmentKey, commandWait, heartbeatInterval, deviceType,
                nodeSyncInterval, functions, other, tls);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
