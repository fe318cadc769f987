package io.edgesync.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
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
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Edge functions through the real control path only: an operator uploads and assigns functions with
 * {@code PUT /api/v1/deployments}; running agents pick them up in their own sync plan loop
 * ({@code GET /api/v1/nodes/{id}/sync}: {@code deploy_function} with the signed URL), download, verify and
 * run them, and acknowledge; readings written at the edge land in {@code telemetry_data} through the real
 * gateway, Kafka, processor and sink; {@code node_function_deployments} follows the acknowledgements;
 * {@code run-function} commands go dispatcher → agent → ack; an undeploy becomes {@code remove_function}.
 * Two devices: a pump (type {@code e2e-pump}) and a valve labelled {@code site=berlin}. The
 * deployments build on each other, so the tests run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FunctionDeploymentsIT {
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String PUMP = "e2e-pump-1";
    static final String VALVE = "e2e-valve-1";
    static Path dir;
    static ControlPlane plane;
    static String pumpToken;
    static String valveToken;
    static EdgeAgent pump;
    static EdgeAgent valve;
    static JsonNode tag;
    static JsonNode filter;
    static String tagToPump;
    static String filterToPumps;

    @BeforeAll
    static void start() throws Exception {
        dir = TempDirs.create("function-deployments-");
        plane = ControlPlane.start(new ControlPlane.Options(dir.resolve("plane"), 0, 0, 0, 0, null, false));
        pumpToken = register(PUMP, "e2e-pump", "{}");
        valveToken = register(VALVE, "e2e-valve", "{\"labels\":{\"site\":\"berlin\"}}");
        pump = agent(PUMP, pumpToken);
        valve = agent(VALVE, valveToken);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {pump, valve, plane}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing what is left
                }
            }
        }
        TempDirs.deleteRecursively(dir);
    }

    /** A running agent: uploads every second, polls commands and its sync plan every second. */
    static EdgeAgent agent(String id, String token) {
        EdgeAgent a = EdgeAgent.open(AgentConfig.from(ConfigSource.of(Map.ofEntries(
                Map.entry("agent.device-id", id), Map.entry("agent.database", dir.resolve(id + ".db").toString()),
                Map.entry("agent.gateway-url", plane.gatewayUrl()), Map.entry("agent.dispatcher-url",
                        plane.dispatcherUrl()), Map.entry("agent.token", token), Map.entry("agent.http.port", "-1"),
                Map.entry("agent.sync-interval", "1s"), Map.entry("agent.node-sync.interval", "1s"),
                Map.entry("agent.command-wait", "1s"), Map.entry("agent.heartbeat-interval", "5s"),
                Map.entry("agent.retry.initial-interval", "200ms"), Map.entry("agent.functions.time-limit", "5s")))));
        a.start();
        return a;
    }

    @Test
    @Order(1)
    void aFunctionDeployedToOneDeviceRunsThereAndOnlyThatDeviceMayFetchIt() throws Exception {
        // GIVEN the tag example uploaded and assigned to the pump alone
        tag = FunctionUploads.upload(plane, "tag", "1.0.0", FunctionUploads.module("tag.wasm"));
        JsonNode deployment = deploy(tag, "{\"deviceId\":\"" + PUMP + "\"}", 10, 201);
        tagToPump = deployment.path("id").asText();

        // WHEN the pump's own sync plan loop picks it up
        Await.equalTo(WAIT, () -> names(pump), List.of("tag"), "tag installed on the pump by its sync loop");

        // THEN it was verified and stored at the plan's version and hash, and the ack recorded what runs
        assertEquals(List.of(new FunctionActions.Installed(tag.path("id").asText(), "tag", "1.0.0",
                tag.path("hash").asText(), 10)), pump.functions().installed());
        Await.equalTo(WAIT, () -> running(PUMP), List.of("tag|1.0.0|" + tag.path("hash").asText() + "|10"),
                "node_function_deployments of the pump, from its ack");
        JsonNode rollout = operator("GET", "/api/v1/deployments/" + tagToPump + "/devices", null);
        assertEquals("running", rollout.path("devices").get(0).path("state").asText(), rollout.toString());

        // AND readings written at the pump land transformed, the valve's untransformed
        pump.record("s1", "temperature", 21.0, "C");
        valve.record("s1", "temperature", 22.0, "C");
        Await.equalTo(WAIT, () -> count(PUMP, "sensor_id = 's1' AND metadata->>'edgeFn' = 'tag'"), 1L,
                "the pump's tagged reading");
        Await.equalTo(WAIT, () -> count(VALVE, "sensor_id = 's1' AND metadata->>'edgeFn' IS NULL"), 1L,
                "the valve's untransformed reading");
        assertEquals(List.of(), valve.functions().installed());

        // AND the valve's token may not fetch the pump's function; the pump's may
        assertEquals(403, download(tag, valveToken).statusCode());
        HttpResponse<String> own = download(tag, pumpToken);
        assertEquals(307, own.statusCode(), own.body());
        assertTrue(own.headers().firstValue("Location").orElseThrow().contains("wasm-functions/tag/1.0.0/"));
    }

    @Test
    @Order(2)
    void typeAndLabelDeploymentsReachTheirDevicesInTheDeploymentOrder() throws Exception {
        // GIVEN filter assigned to every device of the pump type, before tag (order 5 < 10)
        filter = FunctionUploads.upload(plane, "filter", "1.0.0", FunctionUploads.module("filter.wasm"));
        filterToPumps = deploy(filter, "{\"deviceType\":\"e2e-pump\"}", 5, 201).path("id").asText();
        // AND tag assigned to the devices labelled site=berlin
        deploy(tag, "{\"label\":\"site=berlin\"}", 1, 201);

        // WHEN the agents' sync loops pick them up
        Await.equalTo(WAIT, () -> names(pump), List.of("filter", "tag"), "filter then tag on the pump");
        Await.equalTo(WAIT, () -> names(valve), List.of("tag"), "tag on the labelled valve");

        // THEN node_function_deployments records each device's functions with their order
        Await.equalTo(WAIT, () -> running(PUMP), List.of("filter|1.0.0|" + filter.path("hash").asText() + "|5",
                "tag|1.0.0|" + tag.path("hash").asText() + "|10"), "the pump's functions, from its ack");
        Await.equalTo(WAIT, () -> running(VALVE), List.of("tag|1.0.0|" + tag.path("hash").asText() + "|1"),
                "the valve's function, from its ack");
        // AND the valve may now fetch tag, which is deployed to it
        assertEquals(307, download(tag, valveToken).statusCode());

        // AND readings pass through both at the pump: debug dropped by filter, the rest tagged
        pump.record("s2", "debug", 1.0, "C");
        pump.record("s2", "temperature", 23.0, "C");
        valve.record("s2", "temperature", 24.0, "C");
        Await.equalTo(WAIT, () -> count(PUMP, "sensor_id = 's2' AND data_type = 'temperature'"
                + " AND metadata->>'edgeFn' = 'tag'"), 1L, "the pump's tagged temperature");
        Await.equalTo(WAIT, () -> count(VALVE, "sensor_id = 's2' AND metadata->>'edgeFn' = 'tag'"), 1L,
                "the valve's tagged reading");
        assertEquals(0L, count(PUMP, "sensor_id = 's2' AND data_type = 'debug'"),
                "filter dropped the debug reading written in the same batch");

        // WHEN the type deployment is moved after tag (order 20)
        assertEquals(filterToPumps, deploy(filter, "{\"deviceType\":\"e2e-pump\"}", 20, 200).path("id").asText());
        // THEN the pump applies the new order and reports it
        Await.equalTo(WAIT, () -> names(pump), List.of("tag", "filter"), "tag then filter after the reorder");
        Await.equalTo(WAIT, () -> running(PUMP), List.of("filter|1.0.0|" + filter.path("hash").asText() + "|20",
                "tag|1.0.0|" + tag.path("hash").asText() + "|10"), "the reordered functions, from the ack");
    }

    @Test
    @Order(3)
    void aRunFunctionCommandAnswersTheFunctionsOutputAsTheAcksResult() throws Exception {
        // GIVEN tag running on the pump
        // WHEN an operator sends run-function with an input
        JsonNode created = operator("POST", "/api/v1/devices/" + PUMP + "/commands", "{\"commandType\":\"run-function\","
                + "\"payload\":{\"function\":\"tag\",\"input\":{\"sensorId\":\"probe\",\"value\":7.5}}}");
        String id = created.path("commandId").asText();
        // THEN the agent runs it and the ack's result is the function's output, as JSON
        JsonNode done = Await.until(WAIT, () -> operator("GET", "/api/v1/commands/" + id, null),
                c -> !List.of("pending", "delivered").contains(c.path("status").asText()), "run-function acked");
        assertEquals("executed", done.path("status").asText(), done.toString());
        assertEquals(Json.mapper().readTree("[{\"metadata\":{\"edgeFn\":\"tag\"},\"sensorId\":\"probe\",\"value\":7.5}]"),
                done.path("result"), done.toString());
        assertEquals(0L, count(PUMP, "sensor_id = 'probe'"), "a command's call stores nothing");

        // AND a function not deployed there fails the command with the reason
        String other = operator("POST", "/api/v1/devices/" + VALVE + "/commands", "{\"commandType\":\"run-function\","
                + "\"payload\":{\"function\":\"filter\",\"input\":{}}}").path("commandId").asText();
        JsonNode failed = Await.until(WAIT, () -> operator("GET", "/api/v1/commands/" + other, null),
                c -> !List.of("pending", "delivered").contains(c.path("status").asText()), "run-function acked");
        assertEquals("failed", failed.path("status").asText(), failed.toString());
        assertEquals("no function 'filter' is deployed on this device; deployed: [tag]",
                failed.path("result").asText());
    }

    @Test
    @Order(4)
    void deletingTheDeploymentsRemovesTheFunctionsAndLaterReadingsLandUntransformed() throws Exception {
        // WHEN the pump's two deployments are deleted (undeploy)
        assertEquals(204, send("DELETE", "/api/v1/deployments/" + tagToPump, null).statusCode());
        assertEquals(204, send("DELETE", "/api/v1/deployments/" + filterToPumps, null).statusCode());

        // THEN its sync loop removes them, its ack empties node_function_deployments, the valve keeps tag
        Await.equalTo(WAIT, () -> names(pump), List.of(), "no function left on the pump");
        Await.equalTo(WAIT, () -> running(PUMP), List.of(), "node_function_deployments of the pump");
        assertEquals(List.of("tag"), names(valve));
        JsonNode history = operator("GET", "/api/v1/nodes/" + PUMP + "/sync/history", null).path("records");
        List<String> removed = new ArrayList<>();
        for (JsonNode record : history) {
            for (JsonNode a : record.path("actions")) {
                if ("remove_function".equals(a.path("type").asText())) {
                    removed.add(a.path("name").asText() + "@" + record.path("status").asText());
                }
            }
        }
        assertTrue(removed.containsAll(List.of("tag@success", "filter@success")), history.toString());

        // AND readings written afterwards land untransformed, debug included
        pump.record("s3", "debug", 2.0, "C");
        pump.record("s3", "temperature", 25.0, "C");
        Await.equalTo(WAIT, () -> count(PUMP, "sensor_id = 's3'"), 2L, "the pump's readings after the undeploy");
        assertEquals(0L, count(PUMP, "sensor_id = 's3' AND metadata->>'edgeFn' IS NOT NULL"));
        // AND with nothing deployed to the pump, its token may no longer fetch the functions
        assertEquals(403, download(filter, pumpToken).statusCode());
    }

    // --- helpers

    static List<String> names(EdgeAgent agent) {
        return agent.functions().installed().stream().map(FunctionActions.Installed::name).toList();
    }

    static String register(String id, String type, String metadata) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(plane.dispatcherUrl()
                        + "/api/v1/devices/register")).header("Authorization", "Bearer " + plane.credentials()
                        .enrollmentKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"" + id + "\",\"name\":\"" + id
                        + "\",\"deviceType\":\"" + type + "\",\"metadata\":" + metadata + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body()).path("token").asText();
    }

    static JsonNode deploy(JsonNode fn, String selector, int order, int status) throws Exception {
        HttpResponse<String> r = send("PUT", "/api/v1/deployments", "{\"functionId\":\"" + fn.path("id").asText()
                + "\",\"selector\":" + selector + ",\"order\":" + order + "}");
        assertEquals(status, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }

    static HttpResponse<String> download(JsonNode fn, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(plane.dispatcherUrl() + "/api/v1/functions/"
                        + fn.path("id").asText() + "/download")).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode operator(String method, String path, String body) throws Exception {
        HttpResponse<String> r = send(method, path, body);
        assertTrue(r.statusCode() / 100 == 2, path + " answered " + r.statusCode() + " " + r.body());
        return Json.mapper().readTree(r.body());
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(plane.dispatcherUrl() + path))
                .header("Authorization", "Bearer " + plane.credentials().operatorToken())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** node_function_deployments of one device: name|version|hash|order, by name. */
    static List<String> running(String deviceId) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(plane.jdbcUrl());
             PreparedStatement ps = c.prepareStatement("SELECT name, version, hash, apply_order"
                     + " FROM node_function_deployments WHERE device_id = ? ORDER BY name")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getInt(4));
                }
            }
        }
        return out;
    }

    static long count(String deviceId, String where) throws Exception {
        try (Connection c = DriverManager.getConnection(plane.jdbcUrl());
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM telemetry_data WHERE device_id = ? AND ("
                     + where + ")")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
