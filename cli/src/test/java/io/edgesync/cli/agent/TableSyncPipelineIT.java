package io.edgesync.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.embedded.TempDirs;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.shared.tables.TableRow;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.KafkaTopics;
import io.edgesync.testsupport.PostgresExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST /api/v1/sync/tables/{table} through the real gateway, broker, processor and sink into PostgreSQL. */
class TableSyncPipelineIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static Path dir;
    static CloudPipeline cloud;
    static IngestGateway gateway;

    @BeforeAll
    static void startCloud() {
        dir = TempDirs.create("table-pipeline-");
        cloud = new CloudPipeline(KAFKA.bootstrapServers(), PG.jdbcUrl(), PG.dataSource(), dir);
        gateway = cloud.startGateway(0, Map.of());
    }

    @AfterAll
    static void stopCloud() {
        gateway.close();
        cloud.close();
        TempDirs.deleteRecursively(dir);
    }

    /** Posts as the agent does: a 503 (retryable, with Retry-After) is sent again, up to five times. */
    static HttpResponse<String> post(String table, String host, List<?> rows) throws Exception {
        byte[] body = Json.toBytes(Map.of("deviceId", host, "rows", rows));
        HttpResponse<String> r = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            r = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/api/v1/sync/tables/" + table))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 503) {
                return r;
            }
            Thread.sleep(1000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")));
        }
        return r;
    }

    static Map<String, Object> event(long id, long version, String path) {
        return Map.of("version", version, "values", Map.of("id", id, "event_time", 1_700_000_000.5 + id,
                "event_type", "created", "file_path", path, "file_name", "f" + id + ".txt", "is_symlink", 0));
    }

    static long query(String sql, Object... args) throws Exception {
        try (Connection c = PG.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    static long cleanRowsOf(String host) {
        return KafkaTopics.readAll(KAFKA.bootstrapServers(), Topics.TABLE_ROWS_CLEAN.name()).stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(host)).count();
    }

    @Test
    void aTableThatIsNotRegisteredIs404InTheErrorShape() throws Exception {
        HttpResponse<String> r = post("no_such_table", "host-404", List.of(event(1, 1, "/a")));
        assertEquals(404, r.statusCode());
        JsonNode error = Json.mapper().readTree(r.body()).path("error");
        assertEquals("not_found", error.path("code").asText());
        assertEquals("no_such_table", error.path("details").path("table").asText());
    }

    @Test
    void rowsArriveOnceWithTheHostIdentifierEvenWhenResent() throws Exception {
        // GIVEN 50 file events of one host, posted twice (the second time with other versions, as after a lost answer)
        List<Map<String, Object>> first = new ArrayList<>();
        List<Map<String, Object>> again = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            first.add(event(i, 100 + i, "/w/f" + i));
            again.add(event(i, 500 + i, "/w/f" + i));
        }
        HttpResponse<String> r = post("file_change_events", "host-once", first);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(50, Json.mapper().readTree(r.body()).path("accepted").asInt());
        assertEquals(200, post("file_change_events", "host-once", again).statusCode());
        // THEN every row is in the central table with the host, each applied once
        Await.equalTo(Duration.ofSeconds(60), () -> query("SELECT count(*) FROM file_change_events"
                + " WHERE host_identifier = ?", "host-once"), 50L, "central rows");
        Await.equalTo(Duration.ofSeconds(30), () -> cloud.tableRowsWritten() >= 50, true, "sink caught up");
        assertEquals(50, query("SELECT sum(deliveries) FROM file_change_events WHERE host_identifier = ?", "host-once"));
        assertEquals(50, cleanRowsOf("host-once"), "rows in table-rows.clean (read_committed)");
        assertEquals(1, query("SELECT count(*) FROM file_change_events WHERE host_identifier = ? AND id = 7"
                + " AND is_symlink = false AND file_path = '/w/f7'", "host-once"));
    }

    @Test
    void aChangedRowsLaterVersionWinsCentrally() throws Exception {
        Map<String, Object> open = Map.of("version", 10, "values", Map.of("id", 1, "start_time", 100.0,
                "application", "editor"));
        Map<String, Object> closed = Map.of("version", 20, "values", Map.of("id", 1, "start_time", 100.0,
                "end_time", 160.0, "duration_seconds", 60.0, "application", "editor"));
        // each version lands before the next is sent, so no sink batch folds two of them into one write
        assertEquals(200, post("desktop_activity_sessions", "host-lww", List.of(open)).statusCode());
        Await.equalTo(Duration.ofSeconds(60), () -> query("SELECT row_version FROM desktop_activity_sessions"
                + " WHERE host_identifier = ? AND id = 1", "host-lww"), 10L, "the first version");
        assertEquals(200, post("desktop_activity_sessions", "host-lww", List.of(closed)).statusCode());
        Await.equalTo(Duration.ofSeconds(60), () -> query("SELECT row_version FROM desktop_activity_sessions"
                + " WHERE host_identifier = ? AND id = 1", "host-lww"), 20L, "the later version");
        // an older version arriving late loses; a row posted after it (same host, same partition) marks that the
        // late one has been through the processor and the sink
        assertEquals(200, post("desktop_activity_sessions", "host-lww", List.of(Map.of("version", 15, "values",
                Map.of("id", 1, "start_time", 100.0, "end_time", 130.0, "application", "editor")))).statusCode());
        assertEquals(200, post("desktop_activity_sessions", "host-lww", List.of(Map.of("version", 1, "values",
                Map.of("id", 2, "start_time", 200.0, "application", "marker")))).statusCode());
        Await.equalTo(Duration.ofSeconds(60), () -> query("SELECT count(*) FROM desktop_activity_sessions"
                + " WHERE host_identifier = ? AND id = 2", "host-lww"), 1L, "the marker row");
        assertEquals(20, query("SELECT row_version FROM desktop_activity_sessions"
                + " WHERE host_identifier = ? AND id = 1", "host-lww"));
        assertEquals(160, query("SELECT CAST(end_time AS BIGINT) FROM desktop_activity_sessions"
                + " WHERE host_identifier = ? AND id = 1", "host-lww"));
        assertEquals(2, query("SELECT deliveries FROM desktop_activity_sessions WHERE host_identifier = ?"
                + " AND id = 1", "host-lww"), "versions 10 and 20 applied, 15 not");
    }

    @Test
    void aBadRowIsRefusedByIndexAndTheRestAccepted() throws Exception {
        HttpResponse<String> r = post("file_change_events", "host-bad", List.of(event(1, 1, "/a"),
                Map.of("version", 1, "values", Map.of("file_path", "/no-key")),
                Map.of("version", 1, "values", Map.of("id", 3, "file_size", "big"))));
        assertEquals(200, r.statusCode());
        JsonNode body = Json.mapper().readTree(r.body());
        assertEquals(1, body.path("accepted").asInt());
        assertEquals(1, body.path("rejected").get(0).path("index").asInt());
        assertEquals("missing_field", body.path("rejected").get(0).path("code").asText());
        assertEquals("invalid_field", body.path("rejected").get(1).path("code").asText());
        assertEquals("3", body.path("rejected").get(1).path("id").asText());
    }

    @Test
    void theSinkDeadLettersARowOfAnUnknownTableAndOneOfTheWrongShape() throws Exception {
        // GIVEN rows another producer wrote straight to table-rows.clean
        TableRow unknown = new TableRow("not_registered", "host-dlq", "1", 1, "b", 1,
                Json.mapper().createObjectNode().put("id", 1));
        TableRow wrongShape = new TableRow("file_change_events", "host-dlq", "2", 1, "b", 1,
                Json.mapper().createObjectNode().put("id", 2).put("file_size", "not a number"));
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", KAFKA.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (TableRow row : List.of(unknown, wrongShape)) {
                p.send(new ProducerRecord<>(Topics.TABLE_ROWS_CLEAN.name(), row.hostId().getBytes(StandardCharsets.UTF_8),
                        Json.toBytes(row))).get();
            }
        }
        // THEN both are in the DLQ with their reasons, nothing central
        List<String> reasons = Await.until(Duration.ofSeconds(60), () -> dlqReasons("host-dlq"), l -> l.size() == 2,
                "two dead letters");
        assertTrue(reasons.containsAll(List.of("unknown_table", "invalid_record")), reasons.toString());
        assertEquals(0, query("SELECT count(*) FROM file_change_events WHERE host_identifier = ?", "host-dlq"));
    }

    static List<String> dlqReasons(String host) {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(KAFKA.bootstrapServers(), Topics.TELEMETRY_DLQ.name())) {
            if (r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(host)) {
                out.add(new String(r.headers().lastHeader("dlq.reason").value(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
