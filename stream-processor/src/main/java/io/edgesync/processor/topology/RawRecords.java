package io.edgesync.processor.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.model.RecordValidator;
import io.edgesync.shared.model.TelemetryRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads one {@code telemetry.raw} record with the shared {@link RecordValidator} rules, or says why
 * it cannot be processed (the reason codes of the {@code dlq-reason} header, docs/topics.md).
 */
public final class RawRecords {
    public static final String MISSING_KEY = "missing_key";
    public static final String MISSING_VALUE = "missing_value";
    public static final String NOT_JSON = "not_json";
    public static final String INVALID_RECEIPT = "invalid_receipt";
    /** Key, value and headers together over {@link DeadLetters#MAX_INPUT_BYTES}; the DLQ copy has no value. */
    public static final String TOO_LARGE = "record_too_large";
    /** The producer refused an output record (RecordTooLargeException and the like); the DLQ copy has no value. */
    public static final String PRODUCTION_ERROR = "production_error";

    /** Either a record or a reason and message. */
    public record Parsed(TelemetryRecord record, String reason, String message) {
        public boolean ok() {
            return record != null;
        }

        static Parsed reject(String reason, String message) {
            return new Parsed(null, reason, message);
        }
    }

    private RawRecords() {
    }

    public static Parsed parse(byte[] key, byte[] value) {
        if (key == null || key.length == 0) {
            return Parsed.reject(MISSING_KEY, "the key must be the deviceId");
        }
        if (value == null || value.length == 0) {
            return Parsed.reject(MISSING_VALUE, "the value must be a telemetry record");
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(value);
        } catch (IOException e) {
            return Parsed.reject(NOT_JSON, "the value is not JSON");
        }
        String deviceId = new String(key, StandardCharsets.UTF_8);
        RecordValidator.Result result = RecordValidator.validate(0, node, deviceId);
        if (!result.ok()) {
            return Parsed.reject(result.rejection().code(), result.rejection().message());
        }
        JsonNode receivedAt = node.get("receivedAt");
        JsonNode batchId = node.get("batchId");
        boolean hasReceipt = receivedAt != null && !receivedAt.isNull();
        if (hasReceipt && !(receivedAt.isIntegralNumber() && receivedAt.canConvertToLong())) {
            return Parsed.reject(INVALID_RECEIPT, "receivedAt must be epoch milliseconds");
        }
        if (batchId != null && !batchId.isNull() && !batchId.isTextual()) {
            return Parsed.reject(INVALID_RECEIPT, "batchId must be a string");
        }
        TelemetryRecord record = result.record();
        if (hasReceipt || (batchId != null && batchId.isTextual())) {
            record = new TelemetryRecord(record.id(), record.deviceId(), record.sensorId(), record.timestamp(),
                    record.dataType(), record.value(), record.unit(), record.metadata(), record.version(),
                    hasReceipt ? receivedAt.asLong() : null, batchId != null && batchId.isTextual()
                            ? batchId.asText() : null);
        }
        return new Parsed(record, null, null);
    }
}
