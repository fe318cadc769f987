package io.edgesync.shared.kafka;

import io.edgesync.shared.json.JsonSerde;
import io.edgesync.shared.model.ConflictRecord;
import io.edgesync.shared.model.DeviceSyncStats;
import io.edgesync.shared.model.TelemetryRecord;
import io.edgesync.shared.tables.TableDefinition;
import io.edgesync.shared.tables.TableRow;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Every topic EdgeSync reads or writes, declared once. Documented in docs/topics.md. */
public final class Topics {
    /** Headers every producer of a JSON topic sets (see docs/contracts/schemas/*.headers.json). */
    public static final String HEADER_CONTENT_TYPE = "content-type";
    public static final String HEADER_SCHEMA_VERSION = "schema-version";
    public static final String CONTENT_TYPE_JSON = "application/json";
    public static final String SCHEMA_VERSION = "1";

    /** The headers of a JSON value of the current schema version ({@code content-type}, {@code schema-version}). */
    public static Headers jsonHeaders() {
        return new RecordHeaders(new Header[] {
            new RecordHeader(HEADER_CONTENT_TYPE, CONTENT_TYPE_JSON.getBytes(StandardCharsets.UTF_8)),
            new RecordHeader(HEADER_SCHEMA_VERSION, SCHEMA_VERSION.getBytes(StandardCharsets.UTF_8))});
    }

    private static final Serde<String> KEY = Serdes.String();
    private static final Serde<TelemetryRecord> RECORD = new JsonSerde<>(TelemetryRecord.class);
    private static final Serde<JsonNode> JSON = new JsonSerde<>(JsonNode.class);

    private static final Map<String, String> DELETE_7D = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(7).toMillis()));
    private static final Map<String, String> DELETE_30D = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(30).toMillis()));
    private static final Map<String, String> DELETE_90D = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(90).toMillis()));
    private static final Map<String, String> COMPACT = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);

    /** Telemetry as accepted by the gateway, duplicates included. Key: deviceId. */
    public static final Topic<String, TelemetryRecord> TELEMETRY_RAW =
            new Topic<>("telemetry.raw", KEY, RECORD, DELETE_7D);
    /** Telemetry after dedupe and last-write-wins. Key: deviceId. */
    public static final Topic<String, TelemetryRecord> TELEMETRY_CLEAN =
            new Topic<>("telemetry.clean", KEY, RECORD, DELETE_30D);
    /** Losers of last-write-wins, with the winner. Key: deviceId. */
    public static final Topic<String, ConflictRecord> TELEMETRY_CONFLICTS =
            new Topic<>("telemetry.conflicts", KEY, new JsonSerde<>(ConflictRecord.class), DELETE_30D);
    /** Records that could not be processed, with the reason in headers. Key: as received. */
    public static final Topic<byte[], byte[]> TELEMETRY_DLQ =
            new Topic<>("telemetry.dlq", Serdes.ByteArray(), Serdes.ByteArray(), DELETE_30D);
    /** Device registry changes (token rotation, revocation). Key: deviceId. */
    public static final Topic<String, JsonNode> DEVICE_REGISTRY =
            new Topic<>("device.registry", KEY, JSON, COMPACT);
    /** Per-device sync statistics. Key: deviceId. */
    public static final Topic<String, DeviceSyncStats> DEVICE_SYNC_STATS =
            new Topic<>("device.sync-stats", KEY, new JsonSerde<>(DeviceSyncStats.class), COMPACT);
    /** Command state changes. Key: deviceId. */
    public static final Topic<String, JsonNode> COMMAND_EVENTS =
            new Topic<>("command.events", KEY, JSON, DELETE_30D);
    /** Security audit events of the dispatcher (also in its table audit_events). Key: the event's subject. */
    public static final Topic<String, JsonNode> AUDIT_EVENTS =
            new Topic<>("audit.events", KEY, JSON, DELETE_90D);

    /** Header of the table-row topics naming the row's table (also in the value). */
    public static final String HEADER_TABLE = "table";
    /** Rows of synced tables as accepted by the gateway, duplicates included. Key: host (device) id. */
    public static final Topic<String, TableRow> TABLE_ROWS_RAW =
            new Topic<>("table-rows.raw", KEY, new JsonSerde<>(TableRow.class), DELETE_7D);
    /** Table rows after dedupe per (host, table, key) and latest-version-wins. Key: host (device) id. */
    public static final Topic<String, TableRow> TABLE_ROWS_CLEAN =
            new Topic<>("table-rows.clean", KEY, new JsonSerde<>(TableRow.class), DELETE_30D);
    /** Tables registered for sync (from the central sync_tables). Key: table name. */
    public static final Topic<String, TableDefinition> SYNC_TABLE_REGISTRY =
            new Topic<>("sync.table-registry", KEY, new JsonSerde<>(TableDefinition.class), COMPACT);

    public static final List<Topic<?, ?>> ALL = List.of(TELEMETRY_RAW, TELEMETRY_CLEAN, TELEMETRY_CONFLICTS,
            TELEMETRY_DLQ, DEVICE_REGISTRY, DEVICE_SYNC_STATS, COMMAND_EVENTS, AUDIT_EVENTS, TABLE_ROWS_RAW, TABLE_ROWS_CLEAN,
            SYNC_TABLE_REGISTRY);

    private Topics() {
    }
}
