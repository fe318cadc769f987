package io.edgesync.shared.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Turns one JSON record into a {@link TelemetryRecord} or says why not. The gateway and the edge
 * agent use the same rules, so a record the agent stored is never refused later for its shape.
 * Per-record codes are listed in docs/api.md.
 */
public final class RecordValidator {
    public static final String MISSING_FIELD = "missing_field";
    public static final String INVALID_FIELD = "invalid_field";
    public static final String DEVICE_MISMATCH = "device_mismatch";
    public static final String METADATA_TOO_LARGE = "metadata_too_large";

    public static final String RECORD_TOO_LARGE = "record_too_large";

    public static final int MAX_METADATA_BYTES = 8 * 1024;
    public static final int MAX_TEXT_LENGTH = 256;
    /** Most characters of a deviceId (the dispatcher's registration rule) and of an envelope's batchId. */
    public static final int MAX_ID_LENGTH = 128;
    /**
     * Most bytes of one record as sent (the gateway's {@code record_too_large}); with the bounded
     * fields and the receipt the gateway adds, every Kafka value stays far below the producers'
     * and the broker's 1 MiB default.
     */
    public static final int MAX_RECORD_BYTES = 64 * 1024;
    /** The earliest timestamp: 1970-01-01T00:00:00Z. */
    public static final long MIN_TIMESTAMP = 0L;
    /** The latest timestamp any stage accepts whatever the clock says: 9999-12-31T23:59:59.999Z. */
    public static final long MAX_TIMESTAMP = 253_402_300_799_999L;

    /** Either a record or a rejection. */
    public record Result(TelemetryRecord record, Rejection rejection) {
        public boolean ok() {
            return record != null;
        }
    }

    private RecordValidator() {
    }

    /**
     * @param expectedDeviceId the device the caller is authenticated as; a record may omit its
     *                         deviceId (then this one is used) but may not name another
     */
    public static Result validate(int index, JsonNode node, String expectedDeviceId) {
        return validate(index, node, expectedDeviceId, MAX_TIMESTAMP);
    }

    /**
     * As {@link #validate(int, JsonNode, String)}, with timestamps after {@code maxTimestamp} (epoch
     * ms: the caller's clock plus its allowed future skew) rejected as well.
     */
    public static Result validate(int index, JsonNode node, String expectedDeviceId, long maxTimestamp) {
        long latest = Math.min(MAX_TIMESTAMP, maxTimestamp);
        if (node == null || !node.isObject()) {
            return reject(index, null, INVALID_FIELD, "record must be a JSON object");
        }
        JsonNode idNode = node.get("id");
        String id = idNode != null && idNode.isTextual() ? idNode.asText() : null;
        if (idNode == null || idNode.isNull()) {
            return reject(index, null, MISSING_FIELD, "id is required");
        }
        if (id == null || id.isBlank() || id.length() > MAX_TEXT_LENGTH) {
            return reject(index, null, INVALID_FIELD, "id must be a non-empty string of at most 256 characters");
        }
        if (!StorableText.ok(id)) {
            return reject(index, null, INVALID_FIELD, UNSTORABLE.formatted("id"));
        }
        JsonNode deviceNode = node.get("deviceId");
        if (deviceNode != null && !deviceNode.isNull() && !deviceNode.isTextual()) {
            return reject(index, id, INVALID_FIELD, "deviceId must be a string");
        }
        String deviceId = text(node, "deviceId");
        if (deviceId == null) {
            deviceId = expectedDeviceId;
        }
        if (deviceId == null || deviceId.isBlank()) {
            return reject(index, id, MISSING_FIELD, "deviceId is required");
        }
        if (!validDeviceId(deviceId)) {
            return reject(index, id, INVALID_FIELD, "deviceId must be at most 128 characters of storable text");
        }
        if (expectedDeviceId != null && !expectedDeviceId.equals(deviceId)) {
            return reject(index, id, DEVICE_MISMATCH, "deviceId must be the authenticated device " + expectedDeviceId);
        }
        String sensorId = text(node, "sensorId");
        if (sensorId == null || sensorId.isBlank()) {
            return reject(index, id, MISSING_FIELD, "sensorId is required");
        }
        String dataType = text(node, "dataType");
        if (dataType == null || dataType.isBlank()) {
            return reject(index, id, MISSING_FIELD, "dataType is required");
        }
        if (sensorId.length() > MAX_TEXT_LENGTH || dataType.length() > MAX_TEXT_LENGTH) {
            return reject(index, id, INVALID_FIELD, "sensorId and dataType are at most 256 characters");
        }
        if (!StorableText.ok(sensorId) || !StorableText.ok(dataType)) {
            return reject(index, id, INVALID_FIELD, UNSTORABLE.formatted(StorableText.ok(sensorId) ? "dataType" : "sensorId"));
        }
        JsonNode ts = node.get("timestamp");
        if (ts == null || ts.isNull()) {
            return reject(index, id, MISSING_FIELD, "timestamp is required");
        }
        Long timestamp = parseTimestamp(ts);
        if (timestamp == null) {
            return reject(index, id, INVALID_FIELD, "timestamp must be epoch milliseconds or an ISO-8601 date-time");
        }
        if (timestamp < MIN_TIMESTAMP || timestamp > latest) {
            return reject(index, id, INVALID_FIELD, "timestamp must be between 1970-01-01T00:00:00Z and "
                    + Instant.ofEpochMilli(latest) + " (epoch ms " + MIN_TIMESTAMP + ".." + latest + ")");
        }
        JsonNode valueNode = node.get("value");
        if (valueNode == null || valueNode.isNull()) {
            return reject(index, id, MISSING_FIELD, "value is required");
        }
        if (!valueNode.isNumber() || !Double.isFinite(valueNode.asDouble())) {
            return reject(index, id, INVALID_FIELD, "value must be a finite number");
        }
        JsonNode unitNode = node.get("unit");
        String unit = null;
        if (unitNode != null && !unitNode.isNull()) {
            if (!unitNode.isTextual() || unitNode.asText().length() > MAX_TEXT_LENGTH) {
                return reject(index, id, INVALID_FIELD, "unit must be a string of at most 256 characters");
            }
            unit = unitNode.asText();
            if (!StorableText.ok(unit)) {
                return reject(index, id, INVALID_FIELD, UNSTORABLE.formatted("unit"));
            }
        }
        JsonNode metaNode = node.get("metadata");
        ObjectNode metadata = null;
        if (metaNode != null && !metaNode.isNull()) {
            if (!metaNode.isObject()) {
                return reject(index, id, INVALID_FIELD, "metadata must be a JSON object");
            }
            if (metaNode.toString().getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_BYTES) {
                return reject(index, id, METADATA_TOO_LARGE, "metadata is larger than 8 KiB");
            }
            if (!StorableText.ok(metaNode)) {
                return reject(index, id, INVALID_FIELD, UNSTORABLE.formatted("metadata"));
            }
            metadata = (ObjectNode) metaNode;
        }
        JsonNode versionNode = node.get("version");
        int version = 1;
        if (versionNode != null && !versionNode.isNull()) {
            if (!versionNode.canConvertToInt() || !versionNode.isIntegralNumber() || versionNode.asInt() < 1) {
                return reject(index, id, INVALID_FIELD, "version must be an integer >= 1");
            }
            version = versionNode.asInt();
        }
        return new Result(new TelemetryRecord(id, deviceId, sensorId, timestamp, dataType, valueNode.asDouble(),
                unit, metadata, version, null, null), null);
    }

    /** 1-128 characters of storable text: the rule for a deviceId wherever it is named. */
    public static boolean validDeviceId(String deviceId) {
        return deviceId != null && !deviceId.isBlank() && deviceId.length() <= MAX_ID_LENGTH
                && StorableText.ok(deviceId);
    }

    private static final String UNSTORABLE = "%s contains a NUL character or a lone surrogate, which the database cannot store";

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static Long parseTimestamp(JsonNode ts) {
        if (ts.isIntegralNumber() && ts.canConvertToLong()) {
            return ts.asLong();
        }
        if (ts.isTextual()) {
            String text = ts.asText();
            if (text.length() > 64) {
                return null;
            }
            try {
                return epochMillis(OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeParseException e) {
                try {
                    return epochMillis(Instant.parse(text));
                } catch (DateTimeParseException again) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Epoch ms, or a value past {@link #MAX_TIMESTAMP} for an instant too far out to count in a long. */
    private static long epochMillis(Instant instant) {
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static Result reject(int index, String id, String code, String message) {
        return new Result(null, new Rejection(index, id, code, message));
    }
}
