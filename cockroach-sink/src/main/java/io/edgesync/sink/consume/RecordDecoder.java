package io.edgesync.sink.consume;

import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.ConflictRecord;
import io.edgesync.shared.model.DeviceSyncStats;
import io.edgesync.shared.model.RecordValidator;
import io.edgesync.shared.model.StorableText;
import io.edgesync.shared.model.TelemetryRecord;
import io.edgesync.sink.dlq.DeadLetters;
import io.edgesync.sink.store.Origin;
import io.edgesync.sink.store.SinkRow;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns a consumed record of one of the three topics into a row, or into a dead letter when it
 * cannot be decoded or lacks a required field. A tombstone (null value) decodes to nothing.
 */
public final class RecordDecoder {
    public static final List<String> TOPICS = List.of(Topics.TELEMETRY_CLEAN.name(),
            Topics.TELEMETRY_CONFLICTS.name(), Topics.DEVICE_SYNC_STATS.name());

    private final Deserializer<TelemetryRecord> telemetry = Topics.TELEMETRY_CLEAN.valueSerde().deserializer();
    private final Deserializer<ConflictRecord> conflicts = Topics.TELEMETRY_CONFLICTS.valueSerde().deserializer();
    private final Deserializer<DeviceSyncStats> stats = Topics.DEVICE_SYNC_STATS.valueSerde().deserializer();

    /** Either a row or a letter; both null for a tombstone. */
    public record Decoded(SinkRow row, DeadLetters.Letter letter) {
    }

    public Decoded decode(ConsumerRecord<byte[], byte[]> r) {
        Origin origin = new Origin(r.topic(), r.partition(), r.offset(), r.key(), r.value(), r.headers().toArray());
        if (r.value() == null) {
            return new Decoded(null, null);
        }
        Object value;
        try {
            value = deserializer(r.topic()).deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            return dead(origin, DeadLetters.Reason.UNDECODABLE, e.getClass().getSimpleName());
        }
        if (value == null) {
            return dead(origin, DeadLetters.Reason.UNDECODABLE, "null");
        }
        String missing = missingField(value);
        if (missing != null) {
            return dead(origin, DeadLetters.Reason.INVALID_RECORD, "missing " + missing);
        }
        String unstorable = unstorable(value);
        if (unstorable != null) {
            return dead(origin, DeadLetters.Reason.INVALID_RECORD, unstorable);
        }
        if (value instanceof TelemetryRecord t) {
            return new Decoded(new SinkRow.Telemetry(t, origin), null);
        }
        if (value instanceof ConflictRecord c) {
            return new Decoded(new SinkRow.Conflict(c, origin), null);
        }
        return new Decoded(new SinkRow.Stats((DeviceSyncStats) value, origin), null);
    }

    private Deserializer<?> deserializer(String topic) {
        if (topic.equals(Topics.TELEMETRY_CLEAN.name())) {
            return telemetry;
        }
        if (topic.equals(Topics.TELEMETRY_CONFLICTS.name())) {
            return conflicts;
        }
        if (topic.equals(Topics.DEVICE_SYNC_STATS.name())) {
            return stats;
        }
        throw new IllegalArgumentException("the sink does not read " + topic);
    }

    /** The NOT NULL columns each table needs; null when everything is there. */
    static String missingField(Object value) {
        if (value instanceof TelemetryRecord t) {
            return t.deviceId() == null ? "deviceId" : t.id() == null ? "id" : t.sensorId() == null ? "sensorId"
                    : t.dataType() == null ? "dataType" : null;
        }
        if (value instanceof ConflictRecord c) {
            return c.deviceId() == null ? "deviceId" : c.recordId() == null ? "recordId"
                    : c.conflictType() == null ? "conflictType" : c.incoming() == null ? "incoming" : null;
        }
        DeviceSyncStats s = (DeviceSyncStats) value;
        return s.deviceId() == null ? "deviceId" : null;
    }

    /**
     * The shared rules the gateway enforced (docs/api.md), checked again so a record written to the
     * topic by another producer is dead-lettered here instead of failing a database transaction.
     */
    static String unstorable(Object value) {
        if (value instanceof TelemetryRecord t) {
            return unstorable(t);
        }
        if (value instanceof ConflictRecord c) {
            if (!StorableText.ok(c.deviceId()) || !StorableText.ok(c.recordId())) {
                return "deviceId or recordId is text the database cannot store";
            }
            String incoming = unstorable(c.incoming());
            return incoming != null ? incoming : c.current() == null ? null : unstorable(c.current());
        }
        DeviceSyncStats s = (DeviceSyncStats) value;
        return StorableText.ok(s.deviceId()) ? null : "deviceId is text the database cannot store";
    }

    private static String unstorable(TelemetryRecord t) {
        if (t.deviceId() == null || t.id() == null || t.sensorId() == null || t.dataType() == null) {
            return "a required field is missing";
        }
        if (!StorableText.ok(t.deviceId()) || !StorableText.ok(t.id()) || !StorableText.ok(t.sensorId())
                || !StorableText.ok(t.dataType()) || (t.unit() != null && !StorableText.ok(t.unit()))
                || (t.metadata() != null && !StorableText.ok(t.metadata()))) {
            return "text the database cannot store (NUL or a lone surrogate)";
        }
        int max = RecordValidator.MAX_TEXT_LENGTH;
        if (t.deviceId().length() > RecordValidator.MAX_ID_LENGTH || t.id().length() > max || t.sensorId().length() > max
                || t.dataType().length() > max || (t.unit() != null && t.unit().length() > max)) {
            // beyond these an index entry can outgrow what the database allows (SQLSTATE 54000, not a row error)
            return "text longer than its bound (docs/api.md)";
        }
        if (t.timestamp() < RecordValidator.MIN_TIMESTAMP || t.timestamp() > RecordValidator.MAX_TIMESTAMP) {
            return "timestamp outside 1970-01-01..9999-12-31";
        }
        return null;
    }

    private static Decoded dead(Origin origin, DeadLetters.Reason reason, String detail) {
        return new Decoded(null, new DeadLetters.Letter(origin, reason, null, detail));
    }
}
