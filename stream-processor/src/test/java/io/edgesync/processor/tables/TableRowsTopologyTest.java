package io.edgesync.processor.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesync.embedded.TempDirs;
import io.edgesync.processor.ProcessorConfig;
import io.edgesync.processor.StreamProcessor;
import io.edgesync.processor.topology.DeadLetters;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.tables.TableRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The table-sync sub-topology under {@link TopologyTestDriver}: dedupe per (host, table, key), latest version wins. */
class TableRowsTopologyTest {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    Path stateDir;
    TopologyTestDriver driver;
    TestInputTopic<byte[], byte[]> raw;
    TestOutputTopic<String, TableRow> clean;
    TestOutputTopic<byte[], byte[]> dlq;

    @BeforeEach
    void start() {
        stateDir = TempDirs.create("ttd-tables-");
        ProcessorConfig config = ProcessorConfig.from(ConfigSource.of(Map.of("processor.state-dir", stateDir.toString(),
                "processor.application-id", "ttd-tables", "kafka.bootstrap-servers", "127.0.0.1:1")));
        StreamsBuilder builder = new StreamsBuilder();
        TableRowsTopology.build(builder, config);
        driver = new TopologyTestDriver(builder.build(), StreamProcessor.properties(config), START);
        raw = driver.createInputTopic(Topics.TABLE_ROWS_RAW.name(), new ByteArraySerializer(), new ByteArraySerializer(),
                START, Duration.ofMillis(10));
        clean = driver.createOutputTopic(Topics.TABLE_ROWS_CLEAN.name(), new StringDeserializer(),
                Topics.TABLE_ROWS_CLEAN.valueSerde().deserializer());
        dlq = driver.createOutputTopic(Topics.TELEMETRY_DLQ.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
        TempDirs.deleteRecursively(stateDir);
    }

    static TableRow session(String host, long id, long version, double end) {
        ObjectNode values = JsonNodeFactory.instance.objectNode().put("id", id).put("start_time", 100.0)
                .put("end_time", end).put("application", "editor");
        return new TableRow("desktop_activity_sessions", host, Long.toString(id), version, "b", 1L, values);
    }

    void send(TableRow row) {
        raw.pipeInput(row.hostId().getBytes(StandardCharsets.UTF_8), Json.toBytes(row));
    }

    @Test
    void theSameRowResentWithAnotherVersionIsWrittenOnce() {
        send(session("host-a", 1, 10, 200.0));
        send(session("host-a", 1, 11, 200.0));
        send(session("host-a", 1, 10, 200.0));
        List<TableRow> out = clean.readValuesToList();
        assertEquals(1, out.size());
        assertEquals(10, out.get(0).version());
    }

    @Test
    void aChangedRowWithAHigherVersionWinsAndAnOlderVersionArrivingLateIsDropped() {
        send(session("host-a", 1, 10, 200.0));
        send(session("host-a", 1, 20, 260.0));
        send(session("host-a", 1, 15, 230.0));
        List<TableRow> out = clean.readValuesToList();
        assertEquals(List.of(10L, 20L), out.stream().map(TableRow::version).toList());
        assertEquals(260.0, out.get(1).values().get("end_time").asDouble());
    }

    @Test
    void theSameKeyOnAnotherHostOrInAnotherTableIsAnotherRow() {
        send(session("host-a", 1, 10, 200.0));
        send(session("host-b", 1, 10, 200.0));
        TableRow other = session("host-a", 1, 10, 200.0);
        send(new TableRow("file_change_events", other.hostId(), other.key(), 10, "b", 1L, other.values()));
        assertEquals(3, clean.readValuesToList().size());
    }

    @Test
    void anUnreadableRowIsDeadLetteredWithItsReason() {
        raw.pipeInput("host-a".getBytes(StandardCharsets.UTF_8), "{\"table\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        raw.pipeInput("host-a".getBytes(StandardCharsets.UTF_8), "not json".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, clean.getQueueSize());
        var letters = dlq.readRecordsToList();
        assertEquals(2, letters.size());
        assertEquals(TableRowDedupe.UNREADABLE, new String(letters.get(0).headers().lastHeader(DeadLetters.REASON).value(),
                StandardCharsets.UTF_8));
    }
}
