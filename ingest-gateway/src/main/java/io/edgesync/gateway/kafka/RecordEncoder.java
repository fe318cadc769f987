package io.edgesync.gateway.kafka;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.model.TelemetryRecord;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a record as the {@code telemetry.raw} value: the same JSON as {@link TelemetryRecord}'s
 * serde (null fields left out), streamed straight to bytes, once per record.
 */
public final class RecordEncoder {
    private static final JsonFactory FACTORY = Json.mapper().getFactory();

    private RecordEncoder() {
    }

    public static byte[] encode(TelemetryRecord r) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("id", r.id());
            g.writeStringField("deviceId", r.deviceId());
            g.writeStringField("sensorId", r.sensorId());
            g.writeNumberField("timestamp", r.timestamp());
            g.writeStringField("dataType", r.dataType());
            g.writeNumberField("value", r.value());
            if (r.unit() != null) {
                g.writeStringField("unit", r.unit());
            }
            if (r.metadata() != null) {
                g.writeFieldName("metadata");
                g.writeTree(r.metadata());
            }
            g.writeNumberField("version", r.version());
            if (r.receivedAt() != null) {
                g.writeNumberField("receivedAt", r.receivedAt());
            }
            if (r.batchId() != null) {
                g.writeStringField("batchId", r.batchId());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
