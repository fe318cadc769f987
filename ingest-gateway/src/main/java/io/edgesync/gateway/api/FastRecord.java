package io.edgesync.gateway.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesync.shared.model.RecordValidator;
import io.edgesync.shared.model.StorableText;
import io.edgesync.shared.model.TelemetryRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The fast path for the common record: read field by field from the parser, without building a
 * tree. It only ever says "valid, and here is the record"; anything unusual (an unknown field, a
 * null, an ISO timestamp, a value that breaks a rule) makes {@link #accept} return null, and the
 * caller hands the record to the shared {@link RecordValidator}, which decides and explains. So the
 * rules stay in one place; this class must accept only what RecordValidator accepts, with the same
 * result (checked by FastRecordTest).
 */
public final class FastRecord {
    private String id;
    private String deviceId;
    private String sensorId;
    private String dataType;
    private String unit;
    private ObjectNode metadata;
    private long timestamp = -1;
    private double value = Double.NaN;
    private int version = 1;
    private boolean versionPresent;
    private boolean plain = true;

    private FastRecord() {
    }

    /**
     * Reads one object; the parser is on its START_OBJECT and is left on its END_OBJECT.
     *
     * @return the fields, or null if the record is not in the plain form this path handles
     */
    static FastRecord read(JsonParser p, ObjectMapper mapper) throws IOException {
        FastRecord r = new FastRecord();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "id" -> r.id = string(p, t, r);
                case "deviceId" -> r.deviceId = string(p, t, r);
                case "sensorId" -> r.sensorId = string(p, t, r);
                case "dataType" -> r.dataType = string(p, t, r);
                case "unit" -> r.unit = string(p, t, r);
                case "timestamp" -> {
                    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                        r.timestamp = p.getLongValue();
                    } else {
                        r.plain = false;
                        p.skipChildren();
                    }
                }
                case "value" -> {
                    JsonParser.NumberType type = t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT
                            ? p.getNumberType() : null;
                    if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG
                            || type == JsonParser.NumberType.DOUBLE) {
                        r.value = p.getDoubleValue();
                    } else {
                        r.plain = false;
                        p.skipChildren();
                    }
                }
                case "version" -> {
                    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                        r.version = p.getIntValue();
                        r.versionPresent = true;
                    } else {
                        r.plain = false;
                        p.skipChildren();
                    }
                }
                case "metadata" -> {
                    if (t == JsonToken.START_OBJECT) {
                        r.metadata = mapper.readTree(p);
                    } else {
                        r.plain = false;
                        p.skipChildren();
                    }
                }
                default -> {
                    r.plain = false;
                    p.skipChildren();
                }
            }
        }
        return r.plain ? r : null;
    }

    private static String string(JsonParser p, JsonToken t, FastRecord r) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        r.plain = false;
        p.skipChildren();
        return null;
    }

    /** A required text field: 1-256 characters, storable. */
    private static boolean text(String s) {
        return s != null && !s.isBlank() && s.length() <= RecordValidator.MAX_TEXT_LENGTH && StorableText.ok(s);
    }

    /** The deviceId the record names, or null. */
    String deviceId() {
        return deviceId;
    }

    boolean versionPresent() {
        return versionPresent;
    }

    /** The validated record, or null when RecordValidator must decide. */
    TelemetryRecord accept(String expectedDeviceId, long maxTimestamp) {
        String device = deviceId != null ? deviceId : expectedDeviceId;
        boolean ok = text(id) && RecordValidator.validDeviceId(device)
                && (expectedDeviceId == null || expectedDeviceId.equals(device))
                && text(sensorId) && text(dataType)
                && timestamp >= RecordValidator.MIN_TIMESTAMP
                && timestamp <= Math.min(RecordValidator.MAX_TIMESTAMP, maxTimestamp)
                && Double.isFinite(value) && version >= 1
                && (unit == null || unit.length() <= RecordValidator.MAX_TEXT_LENGTH && StorableText.ok(unit))
                && (metadata == null
                    || metadata.toString().getBytes(StandardCharsets.UTF_8).length <= RecordValidator.MAX_METADATA_BYTES
                    && StorableText.ok(metadata));
        return ok ? new TelemetryRecord(id, device, sensorId, timestamp, dataType, value, unit, metadata, version,
                null, null) : null;
    }
}
