package io.edgesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.TopicAdmin;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.ChildJvm;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code edgesync serve} in a JVM of its own exits with status 1 when the service it runs fails, so
 * compose or Kubernetes restarts it: here the sink's database goes away for good while records
 * arrive. Its log is JSON (log.format), one object per line with the event's fields.
 */
class ServeExitIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.restartable();

    private static Path dir;

    @BeforeAll
    static void topics() {
        dir = TempDirs.create("serve-exit-");
        TopicAdmin.ensureTopics(KAFKA.bootstrapServers(), 1, (short) 1);
    }

    @AfterAll
    static void clean() {
        TempDirs.deleteRecursively(dir);
    }

    @Test
    void serveExitsWithStatusOneWhenTheSinksDatabaseIsGoneForGood() throws Exception {
        Path config = dir.resolve("sink.yaml");
        Files.writeString(config, String.join("\n",
                "kafka:", "  bootstrap-servers: " + KAFKA.bootstrapServers(),
                "database:", "  jdbc-url: \"" + PG.jdbcUrl() + "\"", "  socket-timeout: 2s", "  statement-timeout: 1s",
                "sink:", "  port: 0", "  reconnect-backoff-max: 500ms",
                "serve:", "  max-unready: 3s", "  check-interval: 200ms",
                "log:", "  format: json", ""));
        try (ChildJvm serve = ChildJvm.start("serve-sink", dir.resolve("serve-sink.log"), "256m",
                EdgeSyncCli.class, "serve", "sink", "--config", config.toString())) {
            // GIVEN a running sink
            serve.awaitOutput("sink running", 1, Duration.ofSeconds(60));
            // WHEN its database goes away and records keep coming
            PG.server().stop();
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                producer.send(new ProducerRecord<>(Topics.TELEMETRY_CLEAN.name(), "d".getBytes(StandardCharsets.UTF_8),
                        ("{\"id\":\"r1\",\"deviceId\":\"d\",\"sensorId\":\"s\",\"timestamp\":1,\"dataType\":\"t\","
                                + "\"value\":1,\"version\":1,\"receivedAt\":2,\"batchId\":\"b1\"}").getBytes(StandardCharsets.UTF_8))).get();
            }
            // THEN the process ends by itself, with status 1, after serve.max-unready
            Integer exit = Await.until(Duration.ofSeconds(90), () -> serve.alive() ? null : serve.exitCode(),
                    code -> code != null, "edgesync serve sink to exit");
            assertEquals(1, exit, serve.output());
            List<JsonNode> lines = jsonLines(serve.output());
            assertTrue(lines.stream().anyMatch(l -> "component_failed".equals(l.path("event").asText())
                    && "cockroach-sink".equals(l.path("service").asText())
                    && "ERROR".equals(l.path("level").asText())), serve.output());
            // AND the log is JSON objects with timestamp, level, logger and the event's fields, lifecycle at info
            JsonNode started = lines.stream().filter(l -> "sink_started".equals(l.path("event").asText()))
                    .findFirst().orElseThrow(() -> new AssertionError("no sink_started event: " + serve.output()));
            assertEquals("INFO", started.path("level").asText());
            assertEquals("io.edgesync.sink.CockroachSink", started.path("logger").asText());
            assertTrue(started.path("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
                    started.toString());
            assertEquals("POSTGRESQL", started.path("dialect").asText());
        } finally {
            PG.server().start();
        }
    }

    @Test
    void aStopRequestEndsServeWithStatusZero() throws Exception {
        Path config = dir.resolve("sink-ok.yaml");
        Files.writeString(config, String.join("\n",
                "kafka:", "  bootstrap-servers: " + KAFKA.bootstrapServers(),
                "database:", "  jdbc-url: \"" + PG.jdbcUrl() + "\"", "sink:", "  port: 0", ""));
        try (ChildJvm serve = ChildJvm.start("serve-sink-ok", dir.resolve("serve-sink-ok.log"), "256m",
                List.of("-Dedgesync.log.format=json"), EdgeSyncCli.class, "serve", "sink", "--config", config.toString())) {
            serve.awaitOutput("sink running", 1, Duration.ofSeconds(60));
            assertEquals(0, serve.stop(Duration.ofSeconds(60)), serve.output());
            // the -D flag chose JSON: every log line is an object
            assertFalse(jsonLines(serve.output()).isEmpty(), serve.output());
            assertTrue(jsonLines(serve.output()).stream().anyMatch(l -> "sink_stopped".equals(l.path("event").asText())),
                    serve.output());
        }
    }

    private static List<JsonNode> jsonLines(String output) {
        return output.lines().filter(l -> l.startsWith("{")).map(l -> {
            try {
                return Json.mapper().readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).toList();
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.putAll(Map.of("bootstrap.servers", KAFKA.bootstrapServers(), "acks", "all"));
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
