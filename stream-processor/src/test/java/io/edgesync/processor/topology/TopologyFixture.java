package io.edgesync.processor.topology;

import io.edgesync.embedded.TempDirs;
import io.edgesync.processor.ProcessorConfig;
import io.edgesync.processor.StreamProcessor;
import io.edgesync.processor.state.IdentityState;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.model.ConflictRecord;
import io.edgesync.shared.model.DeviceSyncStats;
import io.edgesync.shared.model.TelemetryRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/** A {@link TelemetryTopology} under {@link TopologyTestDriver}: no broker, real RocksDB stores. */
final class TopologyFixture implements AutoCloseable {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    final ProcessorConfig config;
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> raw;
    final TestOutputTopic<String, TelemetryRecord> clean;
    final TestOutputTopic<String, ConflictRecord> conflicts;
    final TestOutputTopic<byte[], byte[]> dlq;
    final TestOutputTopic<String, DeviceSyncStats> stats;
    private final Path stateDir;

    TopologyFixture(Map<String, String> settings) {
        stateDir = TempDirs.create("ttd-");
        Map<String, String> values = new HashMap<>(Map.of("processor.state-dir", stateDir.toString(),
                "processor.application-id", "ttd", "kafka.bootstrap-servers", "127.0.0.1:1"));
        values.putAll(settings);
        config = ProcessorConfig.from(ConfigSource.of(values));
        StreamsBuilder builder = new StreamsBuilder();
        TelemetryTopology.build(builder, config);
        Properties props = StreamProcessor.properties(config);
        driver = new TopologyTestDriver(builder.build(), props, START);
        raw = driver.createInputTopic(Topics.TELEMETRY_RAW.name(), new ByteArraySerializer(),
                new ByteArraySerializer(), START, Duration.ofMillis(10));
        clean = driver.createOutputTopic(Topics.TELEMETRY_CLEAN.name(), new StringDeserializer(),
                Topics.TELEMETRY_CLEAN.valueSerde().deserializer());
        conflicts = driver.createOutputTopic(Topics.TELEMETRY_CONFLICTS.name(), new StringDeserializer(),
                Topics.TELEMETRY_CONFLICTS.valueSerde().deserializer());
        dlq = driver.createOutputTopic(Topics.TELEMETRY_DLQ.name(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        stats = driver.createOutputTopic(Topics.DEVICE_SYNC_STATS.name(), new StringDeserializer(),
                Topics.DEVICE_SYNC_STATS.valueSerde().deserializer());
    }

    TopologyFixture() {
        this(Map.of());
    }

    static TelemetryRecord reading(String deviceId, String id, int version, long timestamp, double value) {
        return new TelemetryRecord(id, deviceId, "temp-1", timestamp, "temperature", value, "C", null, version,
                null, null).withReceipt(timestamp + 5, "batch-" + id);
    }

    void send(TelemetryRecord r) {
        raw.pipeInput(bytes(r.deviceId()), Json.toBytes(r));
    }

    void send(TelemetryRecord r, Instant at) {
        raw.pipeInput(bytes(r.deviceId()), Json.toBytes(r), at);
    }

    void sendAll(List<TelemetryRecord> records) {
        records.forEach(this::send);
    }

    static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    KeyValueStore<String, IdentityState> identities() {
        return driver.getKeyValueStore(TelemetryTopology.IDENTITY_STORE);
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            TempDirs.deleteRecursively(stateDir);
        }
    }
}
