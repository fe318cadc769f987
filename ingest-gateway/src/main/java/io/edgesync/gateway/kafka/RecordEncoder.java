package io.edgesync.gateway.kafka;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.model.TelemetryRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Makes the {@code telemetry.raw} value of an accepted record: the record as JSON plus
 * {@code receivedAt} and {@code batchId}. When the record's own bytes already say what the
 * validated record says (epoch-millisecond timestamp, no receipt fields of its own), they are
 * copied and the receipt appended, without writing the record again; otherwise the validated
 * record is written in full. Both read back as the same {@link TelemetryRecord}.
 */
public final class RecordEncoder {
    private static final JsonFactory FACTORY = Json.mapper().getFactory();
    private static final byte[] VERSION_1 = ",\"version\":1".getBytes(StandardCharsets.UTF_8);

    private RecordEncoder() {
    }

    /**
     * Where a record's bytes are in the upload, and whether they can be copied as they are: they
     * can when they already say what the validated record says (an epoch-millisecond timestamp, a
     * textual or absent deviceId, an integral or absent version) and carry no receipt fields.
     */
    public record Source(byte[] body, int start, int end, boolean copyable, boolean hasDeviceId, boolean hasVersion) {
        /** Decides from the record's tree. */
        public static Source of(byte[] body, int start, int end, JsonNode node) {
            JsonNode deviceId = node.get("deviceId");
            JsonNode version = node.get("version");
            JsonNode timestamp = node.get("timestamp");
            boolean copyable = timestamp != null && timestamp.isIntegralNumber()
                    && (deviceId == null || deviceId.isTextual())
                    && (version == null || version.isIntegralNumber())
                    && !node.has("receivedAt") && !node.has("batchId");
            return new Source(body, start, end, copyable, deviceId != null, version != null);
        }
    }

    /** What the gateway adds to every record of one upload; the appended bytes are built once. */
    public static final class Receipt {
        private final long receivedAt;
        private final String batchId;
        private final byte[] deviceField;
        private final byte[] tail;

        public Receipt(String deviceId, long receivedAt, String batchId) {
            this.receivedAt = receivedAt;
            this.batchId = batchId;
            this.deviceField = (",\"deviceId\":\"" + quote(deviceId) + "\"").getBytes(StandardCharsets.UTF_8);
            this.tail = (",\"receivedAt\":" + receivedAt + ",\"batchId\":\"" + quote(batchId) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
        }

        /** The value for a record that passed validation. */
        public byte[] value(Source raw, TelemetryRecord validated) {
            if (!raw.copyable() || raw.end() - raw.start() < 2 || raw.body()[raw.start()] != '{'
                    || raw.body()[raw.end() - 1] != '}') {
                return encode(validated.withReceipt(receivedAt, batchId));
            }
            boolean addDevice = !raw.hasDeviceId();
            boolean addVersion = !raw.hasVersion();
            byte[] body = raw.body();
            int head = raw.end() - 1 - raw.start(); // the record without its closing brace
            int size = head + tail.length + (addDevice ? deviceField.length : 0) + (addVersion ? VERSION_1.length : 0);
            byte[] out = new byte[size];
            System.arraycopy(body, raw.start(), out, 0, head);
            int at = head;
            if (addDevice) {
                System.arraycopy(deviceField, 0, out, at, deviceField.length);
                at += deviceField.length;
            }
            if (addVersion) {
                System.arraycopy(VERSION_1, 0, out, at, VERSION_1.length);
                at += VERSION_1.length;
            }
            System.arraycopy(tail, 0, out, at, tail.length);
            return out;
        }

        private static String quote(String s) {
            return new String(JsonStringEncoder.getInstance().quoteAsString(s));
        }
    }

    /** The record written in full, as {@link TelemetryRecord}'s serde would (null fields left out). */
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
