package io.edgesync.dispatcher.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesync.dispatcher.device.DeviceService;
import io.edgesync.dispatcher.schema.EdgeSchema;
import io.edgesync.dispatcher.schema.SchemaService;
import io.edgesync.dispatcher.store.Columns;
import io.edgesync.dispatcher.store.Sql;
import io.edgesync.shared.db.Transactions;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Sync plans: each fetch diffs the node's tracked state against its target ({@link SyncPlanner})
 * under the node's row lock; the same open plan is handed out again while its actions are unchanged,
 * a changed one supersedes it. An acknowledgement closes the plan; only {@code success} moves the
 * tracked state (to the state the node reports, else the plan's target).
 */
public final class SyncService {
    private static final Sql SQL = Sql.load("sync.sql");
    /** How long a fetched plan stays open (the node shows syncing) without an acknowledgement. */
    public static final Duration PLAN_TTL = Duration.ofMinutes(10);
    static final String PENDING = "pending";
    static final String SUCCESS = "success";
    static final String FAILED = "failed";

    /** An acknowledgement as the node sends it. */
    public record Ack(String syncId, String status, String error, Boolean retryable, JsonNode state) {
    }

    private final Transactions tx;
    private final FunctionTargets functions;
    private final Clock clock;
    private final Duration planTtl;
    private final Duration offlineAfter;

    public SyncService(Transactions tx, FunctionTargets functions, Clock clock, Duration planTtl,
                       Duration offlineAfter) {
        this.tx = Objects.requireNonNull(tx);
        this.functions = Objects.requireNonNull(functions);
        this.clock = Objects.requireNonNull(clock);
        this.planTtl = Objects.requireNonNull(planTtl);
        this.offlineAfter = Objects.requireNonNull(offlineAfter);
    }

    public SyncPlan plan(String nodeId) throws SQLException {
        Instant now = clock.instant();
        SyncPlan plan = tx.inTransaction(c -> {
            JsonNode[] tracked = lockNode(c, nodeId);
            long schema = tracked[0].asLong();
            JsonNode trackedFunctions = tracked[1];
            List<EdgeSchema> pending = SchemaService.after(c, schema);
            List<FunctionTargets.Target> targets = functions.targetedAt(c, nodeId);
            ArrayNode actions = SyncPlanner.actions(pending, trackedFunctions, targets);
            boolean full = schema == 0 && (trackedFunctions == null || trackedFunctions.isEmpty());
            String syncType = full ? "full" : "incremental";
            Row latest = latest(c, nodeId);
            if (actions.isEmpty()) {
                supersedeOpen(c, nodeId, now);
                return new SyncPlan(null, syncType, actions, null, null);
            }
            String hash = hash(actions);
            if (latest != null && latest.hash.equals(hash)) {
                if (PENDING.equals(latest.status) && latest.expiresAt.isAfter(now)) {
                    return new SyncPlan(latest.syncId.toString(), latest.syncType, latest.actions,
                            latest.expiresAt.toString(), null);
                }
                if (FAILED.equals(latest.status) && Boolean.FALSE.equals(latest.retryable)) {
                    return new SyncPlan(null, syncType, Json.mapper().createArrayNode(), null,
                            new SyncPlan.Blocked(latest.syncId.toString(), latest.error));
                }
            }
            supersedeOpen(c, nodeId, now);
            UUID id = UUID.randomUUID();
            long to = pending.isEmpty() ? schema : pending.get(pending.size() - 1).version();
            Instant expires = now.plus(planTtl);
            try (PreparedStatement ps = c.prepareStatement(SQL.get("insert-record"))) {
                ps.setObject(1, id);
                ps.setString(2, nodeId);
                ps.setLong(3, latest == null ? 1 : latest.seq + 1);
                ps.setString(4, syncType);
                Columns.setJson(ps, 5, actions);
                ps.setString(6, hash);
                ps.setLong(7, schema);
                ps.setLong(8, to);
                Columns.setInstant(ps, 9, now);
                Columns.setInstant(ps, 10, expires);
                ps.executeUpdate();
            }
            return new SyncPlan(id.toString(), syncType, actions, expires.toString(), null);
        });
        return withUrls(plan);
    }

    /** Signed download URLs are made per answer (they expire), never stored. */
    private SyncPlan withUrls(SyncPlan plan) {
        ArrayNode actions = plan.actions().deepCopy();
        for (JsonNode a : actions) {
            if (SyncPlanner.DEPLOY_FUNCTION.equals(a.path("type").asText())) {
                ((ObjectNode) a).put("url", functions.downloadUrl(a.path("id").asText()));
            }
        }
        return new SyncPlan(plan.syncId(), plan.syncType(), actions, plan.expiresAt(), plan.blocked());
    }

    public SyncRecordView ack(String nodeId, Ack ack) throws SQLException {
        Instant now = clock.instant();
        UUID id = parse(ack.syncId());
        return tx.inTransaction(c -> {
            lockNode(c, nodeId);
            Row row = lockRecord(c, id);
            if (row == null || !row.deviceId.equals(nodeId)) {
                throw unknownPlan(ack.syncId(), nodeId);
            }
            if (SUCCESS.equals(row.status) || FAILED.equals(row.status)) {
                if (row.status.equals(ack.status())) {
                    return row.view(now);
                }
                throw conflict(row, "plan " + row.syncId + " was already acknowledged " + row.status);
            }
            if (!PENDING.equals(row.status) || !row.expiresAt.isAfter(now)) {
                String status = PENDING.equals(row.status) ? "expired" : row.status;
                throw new ApiException(ErrorCode.CONFLICT, "plan " + row.syncId + " is " + status
                        + "; fetch a new plan", Map.of("status", status), null);
            }
            if (SUCCESS.equals(ack.status())) {
                JsonNode state = state(c, row, ack.state());
                try (PreparedStatement ps = c.prepareStatement(SQL.get("set-node-state"))) {
                    ps.setLong(1, state.path("schemaVersion").asLong());
                    Columns.setJson(ps, 2, state.path("functions"));
                    ps.setString(3, nodeId);
                    ps.executeUpdate();
                }
                functions.recordRunning(c, nodeId, state.path("functions"));
                complete(c, row, SUCCESS, null, null, state, now);
            } else {
                complete(c, row, FAILED, ack.error(), ack.retryable() == null || ack.retryable(), ack.state(), now);
            }
            return lockRecord(c, id).view(now);
        });
    }

    /** The state a success moves the node to: as reported (checked), else the plan's target. */
    private JsonNode state(Connection c, Row row, JsonNode reported) throws SQLException {
        ObjectNode out = Json.mapper().createObjectNode();
        if (reported != null && reported.has("schemaVersion")) {
            JsonNode v = reported.get("schemaVersion");
            if (!v.isIntegralNumber() || v.asLong() < 0 || !SchemaService.exists(c, v.asLong())) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, "state.schemaVersion must be 0 or a registered "
                        + "version", Map.of("field", "state.schemaVersion"), null);
            }
            out.put("schemaVersion", v.asLong());
        } else {
            out.put("schemaVersion", row.toSchema);
        }
        if (reported != null && reported.has("functions")) {
            if (!reported.get("functions").isArray()) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, "state.functions must be an array of "
                        + "{id, name, version, hash}", Map.of("field", "state.functions"), null);
            }
            out.set("functions", reported.get("functions"));
        } else {
            out.set("functions", SyncPlanner.functionState(functions.targetedAt(c, row.deviceId)));
        }
        return out;
    }

    private static void complete(Connection c, Row row, String status, String error, Boolean retryable,
                                 JsonNode state, Instant now) throws SQLException {
        boolean ok = SUCCESS.equals(status);
        try (PreparedStatement ps = c.prepareStatement(SQL.get("complete-record"))) {
            ps.setString(1, status);
            ps.setInt(2, ok ? SyncPlanner.count(row.actions, SyncPlanner.APPLY_SCHEMA) : 0);
            ps.setInt(3, ok ? SyncPlanner.count(row.actions, SyncPlanner.DEPLOY_FUNCTION) : 0);
            ps.setInt(4, ok ? SyncPlanner.count(row.actions, SyncPlanner.REMOVE_FUNCTION) : 0);
            ps.setString(5, error);
            ps.setObject(6, retryable, Types.BOOLEAN);
            Columns.setJson(ps, 7, state);
            Columns.setInstant(ps, 8, now);
            ps.setObject(9, row.syncId);
            ps.executeUpdate();
        }
    }

    public List<SyncRecordView> history(String nodeId, int limit) throws SQLException {
        Instant now = clock.instant();
        return tx.inTransaction(c -> {
            node(c, nodeId, now);
            List<SyncRecordView> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SQL.get("history"))) {
                ps.setString(1, nodeId);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Row.of(rs).view(now));
                    }
                }
            }
            return out;
        });
    }

    public NodeView node(String nodeId) throws SQLException {
        Instant now = clock.instant();
        return tx.inTransaction(c -> node(c, nodeId, now));
    }

    public void setRegion(String nodeId, String region) throws SQLException {
        tx.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SQL.get("set-region"))) {
                ps.setString(1, region);
                ps.setString(2, nodeId);
                return ps.executeUpdate();
            }
        });
    }

    private NodeView node(Connection c, String nodeId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("node"))) {
            Columns.setInstant(ps, 1, now);
            ps.setString(2, nodeId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw DeviceService.notFound(nodeId);
                }
                Instant seen = Columns.instant(rs, "last_seen_at");
                String status = rs.getBoolean("syncing") ? "syncing"
                        : seen != null && !seen.isBefore(now.minus(offlineAfter)) ? "online" : "offline";
                JsonNode fns = Columns.json(rs, "functions");
                return new NodeView(rs.getString("device_id"), rs.getString("name"), rs.getString("device_type"),
                        rs.getString("region"), status, rs.getLong("schema_version"),
                        fns == null ? Json.mapper().createArrayNode() : fns, seen == null ? null : seen.toString());
            }
        }
    }

    /** Locks the node's row; {schemaVersion, functions}. */
    private static JsonNode[] lockNode(Connection c, String nodeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("lock-node"))) {
            ps.setString(1, nodeId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw DeviceService.notFound(nodeId);
                }
                return new JsonNode[] {Json.mapper().getNodeFactory().numberNode(rs.getLong(1)),
                        Columns.json(rs, "functions")};
            }
        }
    }

    private static void supersedeOpen(Connection c, String nodeId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("supersede-open"))) {
            Columns.setInstant(ps, 1, now);
            ps.setString(2, nodeId);
            ps.executeUpdate();
        }
    }

    private static Row latest(Connection c, String nodeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("latest-record"))) {
            ps.setString(1, nodeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Row.of(rs) : null;
            }
        }
    }

    private static Row lockRecord(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("lock-record"))) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Row.of(rs) : null;
            }
        }
    }

    private static UUID parse(String syncId) {
        try {
            return UUID.fromString(syncId);
        } catch (IllegalArgumentException e) {
            throw unknownPlan(syncId, null);
        }
    }

    private static ApiException unknownPlan(String syncId, String nodeId) {
        return new ApiException(ErrorCode.NOT_FOUND, "no sync plan " + syncId
                + (nodeId == null ? "" : " for node " + nodeId), Map.of("field", "syncId"), null);
    }

    private static ApiException conflict(Row row, String message) {
        return new ApiException(ErrorCode.CONFLICT, message, Map.of("status", row.status), null);
    }

    static String hash(JsonNode actions) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Json.toString(actions).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sync_records row. */
    private record Row(UUID syncId, String deviceId, long seq, String syncType, String status, JsonNode actions,
                       String hash, long fromSchema, long toSchema, int schemas, int added, int removed, String error,
                       Boolean retryable, JsonNode state, Instant createdAt, Instant expiresAt, Instant completedAt) {
        static Row of(ResultSet rs) throws SQLException {
            boolean r = rs.getBoolean("retryable");
            Boolean retryable = rs.wasNull() ? null : r;
            return new Row(rs.getObject("sync_id", UUID.class), rs.getString("device_id"), rs.getLong("seq"),
                    rs.getString("sync_type"), rs.getString("status"), Columns.json(rs, "actions"),
                    rs.getString("actions_hash"), rs.getLong("from_schema"), rs.getLong("to_schema"),
                    rs.getInt("schemas_applied"), rs.getInt("functions_added"), rs.getInt("functions_removed"),
                    rs.getString("error_message"), retryable, Columns.json(rs, "reported_state"),
                    Columns.instant(rs, "created_at"), Columns.instant(rs, "expires_at"),
                    Columns.instant(rs, "completed_at"));
        }

        SyncRecordView view(Instant now) {
            String shown = PENDING.equals(status) && !expiresAt.isAfter(now) ? "expired" : status;
            return new SyncRecordView(syncId.toString(), deviceId, syncType, shown, fromSchema, toSchema, schemas, added,
                    removed, error, retryable, actions, state, createdAt.toString(), expiresAt.toString(),
                    completedAt == null ? null : completedAt.toString());
        }
    }
}
