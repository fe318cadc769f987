package io.edgesync.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.agent.function.FunctionException;
import io.edgesync.agent.plan.FunctionActions;
import io.edgesync.cli.ControlPlane;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.testsupport.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Edge functions end to end on real components: the dispatcher's artifact API on the embedded
 * S3-compatible store (S3Proxy), the agent downloading through the signed URL the dispatcher redirects
 * to, verifying and storing the module in its SQLite store and running it on readings, which go
 * through the real gateway, Kafka, processor and sink into PostgreSQL. The functions are the
 * committed examples (examples/functions). The agent shares one device, so the tests run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeFunctionsIT {
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static final String DEVICE = "fn-device-1";
    static Path dir;
    static ControlPlane plane;
    static EdgeAgent agent;

    @BeforeAll
    static void start() throws Exception {
        dir = TempDirs.create("edge-functions-");
        plane = ControlPlane.start(new ControlPlane.Options(dir.resolve("plane"), 0, 0, 0, 0, null, false));
        agent = EdgeAgent.open(AgentConfig.from(ConfigSource.of(Map.ofEntries(
                Map.entry("agent.device-id", DEVICE), Map.entry("agent.database", dir.resolve("agent.db").toString()),
                Map.entry("agent.gateway-url", plane.gatewayUrl()),
                Map.entry("agent.dispatcher-url", plane.dispatcherUrl()),
                Map.entry("agent.enrollment-key", plane.credentials().enrollmentKey()),
                Map.entry("agent.http.port", "-1"), Map.entry("agent.sync-interval", "1h"),
                Map.entry("agent.functions.time-limit", "2s")))));
        agent.enrol();
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        if (plane != null) {
            plane.close();
        }
        TempDirs.deleteRecursively(dir);
    }

    @Test
    @Order(1)
    void aDeployedFunctionTransformsReadingsThatLandInPostgresql() throws Exception {
        // GIVEN the tag example uploaded to the dispatcher and deployed to the agent through its signed URL
        JsonNode tag = upload("tag", "1.0.0", module("tag.wasm"));
        deploy(tag, 10);
        assertEquals(List.of(new FunctionActions.Installed(tag.path("id").asText(), "tag", "1.0.0",
                tag.path("hash").asText(), 10)), agent.functions().installed());

        // WHEN readings are written at the edge and synced
        for (int i = 0; i < 5; i++) {
            agent.record("s1", "temperature", 20.0 + i, "C");
        }
        agent.syncNow();

        // THEN they arrive in telemetry_data transformed by the function, values untouched
        Await.equalTo(Duration.ofSeconds(60), () -> count("metadata->>'edgeFn' = 'tag'"), 5L, "tagged rows");
        assertEquals(5L, count("true"));
        assertEquals(110.0, sum("metadata->>'edgeFn' = 'tag'"), 1e-9);
    }

    @Test
    @Order(2)
    void aCorruptedDownloadIsRefusedAndNeverRun() throws Exception {
        // GIVEN a function whose stored object is corrupted in the S3-compatible store after upload
        JsonNode filter = upload("filter", "1.0.0", module("filter.wasm"));
        Path blob;
        try (Stream<Path> files = Files.walk(dir.resolve("plane"))) {
            blob = files.filter(p -> p.toString().endsWith("filter/1.0.0/function.wasm")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(blob, bytes);

        // WHEN the agent deploys it through its signed URL
        FunctionActions.Failed e = org.junit.jupiter.api.Assertions.assertThrows(FunctionActions.Failed.class,
                () -> deploy(filter, 5));

        // THEN the download is refused as a hash mismatch, permanently, and the function is not installed
        assertTrue(e.getMessage().startsWith("sha-256 mismatch: expected " + filter.path("hash").asText()),
                e.getMessage());
        assertFalse(e.retryable());
        assertEquals(List.of("tag"), agent.functions().installed().stream().map(FunctionActions.Installed::name)
                .toList());
        agent.record("s1", "debug", 1.0, "C");
        agent.syncNow();
        Await.equalTo(Duration.ofSeconds(60), () -> count("data_type = 'debug'"), 1L,
                "the debug reading, which the refused filter would have dropped");
    }

    @Test
    @Order(3)
    void trappingAndLoopingFunctionsAreContainedCountedAndTheirReadingsLandFlagged() throws Exception {
        // GIVEN a looping function deployed after tag
        JsonNode loop = upload("loop", "1.0.0", module("fixtures/loop.wasm"));
        deploy(loop, 20);
        long timeoutsBefore = agent.functionStats().failures(FunctionException.Kind.TIMEOUT);

        // WHEN readings are written
        agent.record("s-loop", "temperature", 1.0, "C");
        agent.record("s-loop", "temperature", 2.0, "C");

        // THEN each call is stopped at the time limit and counted, the agent goes on
        assertEquals(timeoutsBefore + 2, agent.functionStats().failures(FunctionException.Kind.TIMEOUT));

        // AND a trapping function replaces it
        agent.functions().remove(loop.path("id").asText());
        JsonNode trap = upload("trap", "1.0.0", module("fixtures/trap.wasm"));
        deploy(trap, 20);
        agent.record("s-trap", "temperature", 3.0, "C");
        assertEquals(1, agent.functionStats().failures(FunctionException.Kind.TRAP));
        agent.syncNow();

        // THEN the raw readings land in PostgreSQL flagged with the function and the kind of failure
        Await.equalTo(Duration.ofSeconds(60), () -> count("sensor_id = 's-loop'"
                + " AND metadata->'edgeFunctionError'->>'function' = 'loop'"
                + " AND metadata->'edgeFunctionError'->>'kind' = 'timeout' AND metadata->>'edgeFn' IS NULL"), 2L,
                "rows flagged timeout");
        Await.equalTo(Duration.ofSeconds(60), () -> count("sensor_id = 's-trap'"
                + " AND metadata->'edgeFunctionError'->>'kind' = 'trap'"), 1L, "rows flagged trap");

        // AND once the trap is removed, readings are transformed again
        agent.functions().remove(trap.path("id").asText());
        agent.record("s-after", "temperature", 4.0, "C");
        agent.syncNow();
        Await.equalTo(Duration.ofSeconds(60), () -> count("sensor_id = 's-after' AND metadata->>'edgeFn' = 'tag'"
                + " AND metadata->'edgeFunctionError' IS NULL"), 1L, "tagged row after the trap was removed");
    }

    static byte[] module(String file) throws Exception {
        return FunctionUploads.module(file);
    }

    /** Deploys as a sync plan's deploy_function does: with the signed URL the dispatcher redirects to. */
    static void deploy(JsonNode function, int order) throws Exception {
        HttpResponse<String> redirect = HTTP.send(HttpRequest.newBuilder(URI.create(plane.dispatcherUrl()
                        + "/api/v1/functions/" + function.path("id").asText() + "/download"))
                .header("Authorization", "Bearer " + plane.credentials().operatorToken()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(307, redirect.statusCode(), redirect.body());
        agent.functions().deploy(function.path("id").asText(), function.path("name").asText(),
                function.path("version").asText(), function.path("hash").asText(),
                redirect.headers().firstValue("Location").orElseThrow(), order);
    }

    static JsonNode upload(String name, String version, byte[] wasm) throws Exception {
        return FunctionUploads.upload(plane, name, version, wasm);
    }

    static long count(String where) throws Exception {
        try (Connection c = DriverManager.getConnection(plane.jdbcUrl());
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM telemetry_data WHERE device_id = ? AND ("
                     + where + ")")) {
            ps.setString(1, DEVICE);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static double sum(String where) throws Exception {
        try (Connection c = DriverManager.getConnection(plane.jdbcUrl());
             PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(value), 0) FROM telemetry_data"
                     + " WHERE device_id = ? AND (" + where + ")")) {
            ps.setString(1, DEVICE);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getDouble(1);
            }
        }
    }
}
