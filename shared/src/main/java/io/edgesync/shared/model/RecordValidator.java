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

    public static final int MAX_METADATA_BYTES = 8 * 1024;
    public static final int MAX_TEXT_LENGTH = 256;

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
        String deviceId = text(node, "deviceId");
        if (deviceId == null) {
            deviceId = expectedDeviceId;
        }
        if (deviceId == null || deviceId.isBlank()) {
            return reject(index, id, MISSING_FIELD, "deviceId is required");
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
        JsonNode ts = node.get("timestamp");
        if (ts == null || ts.isNull()) {
            return reject(index, id, MISSING_FIELD, "timestamp is required");
        }
        Long timestamp = parseTimestamp(ts);
        if (timestamp == null) {
            return reject(index, id, INVALID_FIELD, "timestamp must be epoch milliseconds or an ISO-8601 date-time");
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

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static Long parseTimestamp(JsonNode ts) {
        if (ts.isIntegralNumber() && ts.canConvertToLong()) {
            long millis = ts.asLong();
            return millis >= 0 ? millis : null;
        }
        if (ts.isTextual()) {
            try {
                return OffsetDateTime.parse(ts.asText()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                try {
                    return Instant.parse(ts.asText()).toEpochMilli();
                } catch (DateTimeParseException again) {
                    return null;
                }
            }
        }
        return null;
    }

    private static Result reject(int index, String id, String code, String message) {
        return new Result(null, new Rejection(index, id, code, message));
    }
}
