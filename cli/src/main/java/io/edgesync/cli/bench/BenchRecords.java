package io.edgesync.cli.bench;

import io.edgesync.gateway.kafka.RecordEncoder;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.model.RecordValidator;
import io.edgesync.shared.model.TelemetryRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The benchmark's upload bodies, and the exact telemetry.raw values the gateway makes of them. */
final class BenchRecords {
    private final int batch;
    private final List<byte[]> values;

    private BenchRecords(int batch, List<byte[]> values) {
        this.batch = batch;
        this.values = values;
    }

    static BenchRecords create(int batch) {
        String batchId = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        List<byte[]> values = new ArrayList<>();
        for (Map<String, Object> r : records("bench-device-0", "warm", batch)) {
            TelemetryRecord record = RecordValidator.validate(0, Json.mapper().valueToTree(r), "bench-device-0").record();
            values.add(RecordEncoder.encode(record.withReceipt(now, batchId)));
        }
        return new BenchRecords(batch, values);
    }

    static List<Map<String, Object>> records(String deviceId, String prefix, int count) {
        List<Map<String, Object>> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(Map.of("id", prefix + "-" + i, "deviceId", deviceId, "sensorId", "sensor-" + (i % 8),
                    "timestamp", 1_760_000_000_000L + i * 1000L, "dataType", "temperature",
                    "value", Math.round((18 + (i % 100) * 0.07) * 100) / 100.0, "unit", "C", "version", 1));
        }
        return out;
    }

    /** A 1,000-record envelope for one device, ids unique per client and upload slot. */
    byte[] body(String deviceId, String prefix) {
        return Json.toBytes(Map.of("deviceId", deviceId, "batchId", prefix, "records", records(deviceId, prefix, batch)));
    }

    int valueBytes() {
        return (int) Math.round(values.stream().mapToInt(v -> v.length).average().orElse(0));
    }

    /** The gateway's values, one a line, for ProducerPerformance's --payload-file. */
    Path writePayloadFile(Path file) throws IOException {
        StringBuilder out = new StringBuilder();
        for (byte[] v : values) {
            out.append(new String(v, java.nio.charset.StandardCharsets.UTF_8)).append('\n');
        }
        Files.writeString(file, out);
        return file;
    }
}
