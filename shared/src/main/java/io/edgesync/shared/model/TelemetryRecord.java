package io.edgesync.shared.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One sensor reading as it travels from the edge through {@code telemetry.raw} and
 * {@code telemetry.clean} into {@code telemetry_data}. Identity is (deviceId, id).
 *
 * @param timestamp  reading time at the device, epoch milliseconds
 * @param version    edge-side correction counter; higher wins (>= 1)
 * @param receivedAt gateway clock when accepted, epoch milliseconds; null before the gateway
 * @param batchId    the upload batch the gateway accepted it in; null before the gateway
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TelemetryRecord(
        String id,
        String deviceId,
        String sensorId,
        long timestamp,
        String dataType,
        double value,
        String unit,
        ObjectNode metadata,
        int version,
        Long receivedAt,
        String batchId) {

    public TelemetryRecord withReceipt(long receivedAtMillis, String acceptedBatchId) {
        return new TelemetryRecord(id, deviceId, sensorId, timestamp, dataType, value, unit, metadata,
                version, receivedAtMillis, acceptedBatchId);
    }

    /** The identity that deduplication and upserts use: unique per device. */
    public String identity() {
        return deviceId + '\u0000' + id;
    }
}
