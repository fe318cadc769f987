package io.edgesync.sink.store;

import io.edgesync.shared.json.Json;
import io.edgesync.shared.model.ConflictRecord;
import io.edgesync.shared.model.RecordOrdering;
import io.edgesync.shared.model.TelemetryRecord;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Inserts {@code telemetry.conflicts} into {@code conflict_log} under a deterministic id derived from
 * the conflict's content, with {@code ON CONFLICT (id) DO NOTHING}: a replay inserts nothing.
 */
public final class ConflictWriter {
    static final String INSERT = Sql.load("insert-conflict.sql");

    private ConflictWriter() {
    }

    /**
     * The record's {@code conflictId} (the processor's, the same for a resend or a replay of the
     * decision); for records without one, a name-based UUID over (device, record, type, both payload
     * hashes, detectedAt): the same decision read twice gets the same id; two different decisions about
     * one record get different ids.
     */
    public static UUID conflictId(ConflictRecord c) {
        if (c.conflictId() != null) {
            try {
                return UUID.fromString(c.conflictId());
            } catch (IllegalArgumentException notAUuid) {
                // a foreign producer's id: fall back to the content-derived one
            }
        }
        String name = String.join("\u0000", c.deviceId(), c.recordId(), String.valueOf(c.conflictType()),
                hash(c.incoming()), hash(c.resolved()), Long.toString(c.detectedAt()));
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    public static int write(Connection c, Collection<ConflictRecord> conflicts) throws SQLException {
        return write(c, conflicts, "conflict_log");
    }

    /** As above into another table of the same shape (a replay's shadow conflict log). */
    public static int write(Connection c, Collection<ConflictRecord> conflicts, String table) throws SQLException {
        String sql = INSERT.replace("conflict_log", Sql.identifier(table));
        if (conflicts.isEmpty()) {
            return 0;
        }
        Map<UUID, ConflictRecord> unique = new LinkedHashMap<>();
        conflicts.forEach(r -> unique.putIfAbsent(conflictId(r), r));
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Map.Entry<UUID, ConflictRecord> e : unique.entrySet()) {
                ConflictRecord r = e.getValue();
                ps.setObject(1, e.getKey());
                ps.setString(2, r.deviceId());
                ps.setString(3, r.recordId());
                ps.setString(4, r.conflictType());
                Sql.setJson(ps, 5, json(r.incoming()));
                Sql.setJson(ps, 6, json(r.current()));
                Sql.setJson(ps, 7, json(r.resolved()));
                ps.setString(8, r.strategy() == null ? ConflictRecord.LAST_WRITE_WINS : r.strategy());
                ps.setObject(9, Sql.time(r.detectedAt()));
                ps.addBatch();
            }
            int inserted = 0;
            for (int n : ps.executeBatch()) {
                inserted += Math.max(n, 0);
            }
            return inserted;
        }
    }

    private static String hash(TelemetryRecord r) {
        return r == null ? "" : Long.toString(RecordOrdering.payloadHash(r));
    }

    private static String json(TelemetryRecord r) {
        if (r == null) {
            return null;
        }
        return new String(Json.toBytes(r), StandardCharsets.UTF_8);
    }
}
