package io.edgesync.agent.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.agent.store.StoreOptions;
import io.edgesync.agent.sync.TelemetrySync;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.edgesync.testsupport.ChunkedFlood;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /telemetry} on the agent's loopback endpoint, with the agent's real SQLite store. */
class LocalIngestServerIT {
    Path dir;
    EdgeAgent agent;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        dir = TempDirs.create("ingest-");
        AgentConfig config = new AgentConfig("dev-1", dir.resolve("agent.db"), "http://127.0.0.1:9", null, null, 1000,
                Duration.ofHours(1), Duration.ofSeconds(5), TelemetrySync.RetryPolicy.defaults(),
                new StoreOptions(StoreOptions.Durability.FULL, 5, StoreOptions.FullPolicy.REJECT_NEW,
                        Duration.ofDays(1)), 0, null, Duration.ofSeconds(1), Duration.ofHours(1), "edge-agent");
        agent = EdgeAgent.open(config, http, Clock.systemUTC());
        agent.start();
    }

    @AfterEach
    void tearDown() {
        agent.close();
        TempDirs.deleteRecursively(dir);
    }

    HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + "/telemetry"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static final String GOOD = "{\"sensorId\":\"s1\",\"timestamp\":1700000000000,\"dataType\":\"temperature\","
            + "\"value\":21.5,\"unit\":\"C\"}";

    @Test
    void oneRecordOrAnArrayIsStoredAndARecordWithoutIdGetsOne() throws Exception {
        HttpResponse<String> one = post(GOOD);
        assertEquals(201, one.statusCode(), one.body());
        HttpResponse<String> many = post("[" + GOOD + ", {\"id\":\"r-2\",\"sensorId\":\"s2\","
                + "\"timestamp\":\"2026-01-01T00:00:00Z\",\"dataType\":\"humidity\",\"value\":40}]");
        assertEquals(201, many.statusCode(), many.body());
        assertEquals(2, Json.mapper().readTree(many.body()).path("stored").asInt());
        assertEquals(3, agent.pendingCount());
    }

    @Test
    void anInvalidRecordInAnArrayIsA400NamingItAndNothingIsStored() throws Exception {
        HttpResponse<String> r = post("[" + GOOD + ", {\"sensorId\":\"s1\",\"timestamp\":1,\"dataType\":\"t\","
                + "\"value\":\"hot\"}]");
        assertEquals(400, r.statusCode());
        JsonNode error = Json.mapper().readTree(r.body()).path("error");
        assertEquals("invalid_request", error.path("code").asText());
        assertEquals(1, error.path("details").path("index").asInt());
        assertEquals("invalid_field", error.path("details").path("code").asText());
        assertEquals(0, agent.pendingCount());
    }

    @Test
    void aRecordForAnotherDeviceIsRefused() throws Exception {
        HttpResponse<String> r = post("{\"deviceId\":\"other\",\"sensorId\":\"s1\",\"timestamp\":1,"
                + "\"dataType\":\"t\",\"value\":1}");
        assertEquals(400, r.statusCode());
        assertEquals("device_mismatch", Json.mapper().readTree(r.body()).path("error").path("details").path("code")
                .asText());
    }

    @Test
    void aBodyThatIsNotJsonIsMalformed() throws Exception {
        HttpResponse<String> r = post("{not json");
        assertEquals(400, r.statusCode());
        assertEquals("malformed_body", Json.mapper().readTree(r.body()).path("error").path("code").asText());
        assertEquals(400, post("42").statusCode());
    }

    @Test
    void aFullStoreUnderRejectNewAnswers503WithRetryAfterAndStoresNothing() throws Exception {
        assertEquals(201, post("[" + GOOD + "," + GOOD + "," + GOOD + "," + GOOD + "]").statusCode());
        HttpResponse<String> r = post("[" + GOOD + "," + GOOD + "]");
        assertEquals(503, r.statusCode());
        assertTrue(r.headers().firstValue("Retry-After").isPresent());
        JsonNode error = Json.mapper().readTree(r.body()).path("error");
        assertEquals("store_full", error.path("details").path("reason").asText());
        assertEquals(4, agent.pendingCount());
    }

    @Test
    void aFailingSqliteWriteAnswers503WithRetryAfterNot500() throws Exception {
        // GIVEN the SQLite file refuses every insert (as a full disk or an I/O error would)
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("agent.db"));
             java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE TRIGGER refuse BEFORE INSERT ON telemetry_data BEGIN SELECT RAISE(ABORT, 'write failed'); END");
        }
        // WHEN a record is posted THEN the caller gets 503 store_unavailable in the error shape, and may retry
        HttpResponse<String> r = post(GOOD);
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Retry-After").isPresent());
        JsonNode error = Json.mapper().readTree(r.body()).path("error");
        assertEquals("store_unavailable", error.path("details").path("reason").asText());
        assertEquals(true, error.path("retryable").asBoolean());
        assertEquals(0, agent.pendingCount());
    }

    @Test
    void metricsShowRecordsByStatus() throws Exception {
        assertEquals(201, post(GOOD).statusCode());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("edgesync_agent_records{status=\"pending\"} 1.0")
                || r.body().contains("edgesync_agent_records{status=\"syncing\"} 1.0"), r.body());
        assertTrue(r.body().contains("edgesync_agent_records_dropped_total 0.0"), r.body());
        assertTrue(r.body().contains("edgesync_agent_sync_stopped 0.0"), r.body());
    }

    @Test
    void aTenMibChunkedBodyIsAnswered413ByEveryPostAndPutRouteBeforeItEnds() throws Exception {
        // GIVEN every route of the local server that takes a body
        try (LocalIngestServer server = LocalIngestServer.start(agent, 0)) {
            List<Endpoint> routes = server.app().unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
                    .map(ParsedEndpoint::getEndpoint)
                    .filter(e -> Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH).contains(e.getMethod()))
                    .toList();
            assertEquals(List.of("POST /telemetry", "POST /sync-now"), routes.stream().map(e -> e.getMethod() + " " + e.getPath())
                    .toList(), "a new route must be added to docs/api.md and is covered here");
            for (Endpoint route : routes) {
                // WHEN it is sent 10 MiB of chunked body (no Content-Length)
                ChunkedFlood.Answer a = ChunkedFlood.send(URI.create("http://127.0.0.1:" + server.port()),
                        route.getMethod().name(), route.getPath(), Map.of("Content-Type", "application/json"),
                        10L * 1024 * 1024);
                System.out.printf("route=\"%s %s\" status=%d body_bytes_written_at_answer=%d of %d "
                        + "answered_before_body_ended=%s%n", route.getMethod(), route.getPath(), a.status(),
                        a.bytesWrittenAtAnswer(), a.bodyBytes(), a.answeredBeforeBodyEnded());
                // THEN 413 payload_too_large in the error shape, while the client was still sending, nothing stored
                assertEquals(413, a.status(), a.body());
                assertEquals("payload_too_large", Json.mapper().readTree(a.body()).path("error").path("code").asText(),
                        a.body());
                assertTrue(a.answeredBeforeBodyEnded(), "answered only after the whole body: " + a);
            }
        }
        assertEquals(0, agent.pendingCount());
    }

    @Test
    void aChunkedBodyWithinTheLimitIsStored() throws Exception {
        byte[] body = GOOD.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort()
                        + "/telemetry")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(1, agent.pendingCount());
    }

    @Test
    void aContentTypeOtherThanJsonIs415SoAWebPageCannotPostAndNothingIsStored() throws Exception {
        // a page's cross-site form or fetch without preflight can send only these (or none)
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", null}) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort()
                    + "/telemetry")).POST(HttpRequest.BodyPublishers.ofString(GOOD));
            if (type != null) {
                b.header("Content-Type", type);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(415, r.statusCode(), type + ": " + r.body());
            assertEquals("unsupported_media_type", Json.mapper().readTree(r.body()).path("error").path("code")
                    .asText(), r.body());
        }
        assertEquals(0, agent.pendingCount());
        assertEquals(201, post(GOOD).statusCode(), "application/json is still taken");
    }
}
