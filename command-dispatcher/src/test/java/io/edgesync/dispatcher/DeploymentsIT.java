package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesync.embedded.S3Server;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.json.Json;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deployments of function versions to devices against a real PostgreSQL, a real S3-compatible server
 * and a real broker: selectors (device, type, label) and their precedence, the order in the sync
 * plan, signed URLs that serve the bytes of the hash, rollout state moved by the devices'
 * acknowledgements, undeploy as remove_function, the audit trail, and refusals in the error shape.
 * Each test uses its own device type and function names, so they are independent.
 */
class DeploymentsIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension(1);
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static final Path S3_DIR = TempDirs.create("s3-");
    static S3Server s3;
    static Harness h;

    @BeforeAll
    static void start() {
        s3 = S3Server.start(S3_DIR, 0);
        h = new Harness(KAFKA.bootstrapServers(), PG.jdbcUrl(), FunctionArtifactsIT.storage(s3, Map.of()));
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
        if (s3 != null) {
            s3.close();
        }
        TempDirs.deleteRecursively(S3_DIR);
    }

    @Test
    void aTypeDeploymentReachesEveryDeviceOfTheTypeInOrderWithUrlsServingTheHash() throws Exception {
        // GIVEN two functions and devices of two types
        JsonNode scale = upload("t-scale", "1.0.0", 1);
        JsonNode filter = upload("t-filter", "1.0.0", 2);
        String pump1 = register("tp-1", "t-pump", null);
        String pump2 = register("tp-2", "t-pump", null);
        String valve = register("tv-1", "t-valve", null);
        // WHEN both are deployed to the pump type, filter before scale
        Api.Response d1 = deploy(scale, "{\"deviceType\":\"t-pump\"}", 20);
        assertEquals(201, d1.status(), d1.raw());
        assertEquals("t-scale", d1.text("name"));
        assertEquals("1.0.0", d1.text("version"));
        assertEquals("type", d1.body().path("selector").path("type").asText());
        assertEquals(201, deploy(filter, "{\"deviceType\":\"t-pump\"}", 10).status());
        // THEN each pump's plan deploys filter then scale, with URLs that serve bytes of the stated hash
        for (String[] device : List.of(new String[] {"tp-1", pump1}, new String[] {"tp-2", pump2})) {
            JsonNode actions = plan(device[0], device[1]).path("actions");
            assertEquals(List.of("t-filter", "t-scale"), names(actions, "deploy_function"), actions.toString());
            JsonNode first = actions.get(0);
            assertEquals(10, first.path("order").asInt());
            assertEquals(filter.path("hash").asText(), first.path("hash").asText());
            assertEquals(filter.path("id").asText(), first.path("id").asText());
            HttpResponse<byte[]> bytes = FunctionArtifactsIT.fetch(first.path("url").asText());
            assertEquals(200, bytes.statusCode());
            assertEquals(filter.path("hash").asText(), FunctionArtifactsIT.sha256(bytes.body()));
        }
        // AND the valve gets nothing, and may not fetch the function through the API either
        assertEquals(0, plan("tv-1", valve).path("actions").size());
        assertEquals(307, download(scale, pump1).statusCode(), "a pump may fetch what is deployed to it");
        assertEquals(403, download(scale, valve).statusCode());
    }

    @Test
    void rolloutStateFollowsTheAcknowledgementsAndNodeFunctionDeploymentsRecordsWhatRuns() throws Exception {
        // GIVEN a function deployed to a type of three devices
        JsonNode fn = upload("r-enrich", "1", 1);
        String ok = register("rp-1", "r-pump", null);
        String bad = register("rp-2", "r-pump", null);
        register("rp-3", "r-pump", null);
        String deployment = deploy(fn, "{\"deviceType\":\"r-pump\"}", 0).text("id");
        JsonNode before = rollout(deployment);
        assertEquals(3, before.path("summary").path("targeted").asInt(), before.toString());
        assertEquals(3, before.path("summary").path("pending").asInt(), before.toString());
        // WHEN one device acknowledges success with what it runs, and one reports a failure
        JsonNode planOk = plan("rp-1", ok);
        assertEquals(200, ack("rp-1", ok, planOk, "success", null, ranOf(planOk)).status());
        JsonNode planBad = plan("rp-2", bad);
        Api.Response failed = ack("rp-2", bad, planBad, "failed", "hash mismatch: refused, not run", null);
        assertEquals(200, failed.status(), failed.raw());
        // THEN the rollout shows running, failed (with the edge's error) and pending
        JsonNode after = rollout(deployment);
        assertEquals(1, after.path("summary").path("running").asInt(), after.toString());
        assertEquals(1, after.path("summary").path("failed").asInt(), after.toString());
        assertEquals(1, after.path("summary").path("pending").asInt(), after.toString());
        Map<String, JsonNode> byDevice = byDevice(after);
        assertEquals("running", byDevice.get("rp-1").path("state").asText());
        assertEquals("1", byDevice.get("rp-1").path("runningVersion").asText());
        assertEquals("failed", byDevice.get("rp-2").path("state").asText());
        assertEquals("hash mismatch: refused, not run", byDevice.get("rp-2").path("error").asText());
        assertEquals("pending", byDevice.get("rp-3").path("state").asText());
        // AND node_function_deployments holds exactly what the successful device reported
        assertEquals(List.of("rp-1|r-enrich|1|" + fn.path("hash").asText()), running("rp-"));
        // AND the function cannot be deleted while deployed
        Api.Response refused = h.api.delete("/api/v1/functions/" + fn.path("id").asText(), h.operator());
        assertEquals(409, refused.status(), refused.raw());
        assertEquals("conflict", refused.errorCode());
    }

    @Test
    void aDeviceDeploymentOverridesTheTypeAndUndeployRemovesTheFunction() throws Exception {
        // GIVEN version 1 deployed to a type, running on the device
        JsonNode v1 = upload("o-scale", "1", 1);
        JsonNode v2 = upload("o-scale", "2", 2);
        String token = register("op-1", "o-pump", null);
        String typeDeployment = deploy(v1, "{\"deviceType\":\"o-pump\"}", 5).text("id");
        JsonNode p1 = plan("op-1", token);
        assertEquals(200, ack("op-1", token, p1, "success", null, null).status(), "no state: the plan's target");
        assertEquals(List.of("op-1|o-scale|1|" + v1.path("hash").asText()), running("op-"));
        // WHEN version 2 is deployed to that one device
        Api.Response own = deploy(v2, "{\"deviceId\":\"op-1\"}", 5);
        assertEquals(201, own.status(), own.raw());
        // THEN its plan replaces version 1 with version 2, and the type deployment shows it overridden
        JsonNode p2 = plan("op-1", token);
        assertEquals(List.of("o-scale"), names(p2.path("actions"), "deploy_function"));
        assertEquals("2", p2.path("actions").get(0).path("version").asText());
        assertEquals(List.of(), names(p2.path("actions"), "remove_function"));
        assertEquals("overridden", byDevice(rollout(typeDeployment)).get("op-1").path("state").asText());
        assertEquals(200, ack("op-1", token, p2, "success", null, ranOf(p2)).status());
        assertEquals(List.of("op-1|o-scale|2|" + v2.path("hash").asText()), running("op-"));
        // WHEN both deployments are deleted (undeploy)
        assertEquals(204, h.api.delete("/api/v1/deployments/" + own.text("id"), h.operator()).status());
        assertEquals("1", plan("op-1", token).path("actions").get(0).path("version").asText(),
                "without the device deployment the type's version applies again");
        assertEquals(204, h.api.delete("/api/v1/deployments/" + typeDeployment, h.operator()).status());
        assertEquals(404, h.api.get("/api/v1/deployments/" + typeDeployment, h.operator()).status());
        // THEN the plan removes the function, and after the ack the device runs nothing
        JsonNode p3 = plan("op-1", token);
        assertEquals(List.of("o-scale"), names(p3.path("actions"), "remove_function"), p3.toString());
        assertEquals("2", p3.path("actions").get(0).path("version").asText());
        assertEquals(200, ack("op-1", token, p3, "success", null, Json.mapper().createArrayNode()).status());
        assertEquals(List.of(), running("op-"));
        // AND now the versions can be deleted
        assertEquals(204, h.api.delete("/api/v1/functions/" + v2.path("id").asText(), h.operator()).status());
    }

    @Test
    void aLabelDeploymentReachesDevicesWithThatLabelOnly() {
        JsonNode fn = upload("l-convert", "1", 1);
        String berlin = register("lp-1", "l-pump", "{\"labels\":{\"site\":\"berlin\"}}");
        String paris = register("lp-2", "l-pump", "{\"labels\":{\"site\":\"paris\"}}");
        Api.Response d = deploy(fn, "{\"label\":\"site=berlin\"}", 0);
        assertEquals(201, d.status(), d.raw());
        assertEquals("site=berlin", d.body().path("selector").path("value").asText());
        assertEquals(List.of("l-convert"), names(plan("lp-1", berlin).path("actions"), "deploy_function"));
        assertEquals(0, plan("lp-2", paris).path("actions").size());
        JsonNode rollout = rollout(d.text("id"));
        assertEquals(1, rollout.path("summary").path("targeted").asInt(), rollout.toString());
        assertEquals("lp-1", rollout.path("devices").get(0).path("deviceId").asText());
    }

    @Test
    void putAgainIsIdempotentAndTheAuditTrailRecordsWhoChangedWhat() {
        JsonNode v1 = upload("a-fn", "1", 1);
        JsonNode v2 = upload("a-fn", "2", 2);
        register("ap-1", "a-pump", null);
        Api.Response first = deploy(v1, "{\"deviceType\":\"a-pump\"}", 1);
        assertEquals(201, first.status(), first.raw());
        h.clock.advance(Duration.ofSeconds(1));
        Api.Response same = deploy(v1, "{\"deviceType\":\"a-pump\"}", 1);
        assertEquals(200, same.status(), same.raw());
        assertEquals(first.text("id"), same.text("id"));
        h.clock.advance(Duration.ofSeconds(1));
        Api.Response replaced = deploy(v2, "{\"deviceType\":\"a-pump\"}", 3);
        assertEquals(200, replaced.status(), replaced.raw());
        assertEquals(first.text("id"), replaced.text("id"), "one deployment per function name and selector");
        assertEquals("2", replaced.text("version"));
        assertEquals(3, replaced.body().path("order").asInt());
        h.clock.advance(Duration.ofSeconds(1));
        assertEquals(204, h.api.delete("/api/v1/deployments/" + first.text("id"), h.operator()).status());

        JsonNode events = h.api.get("/api/v1/deployments/audit?deploymentId=" + first.text("id"), h.viewer())
                .body().path("events");
        List<String> seen = new ArrayList<>();
        events.forEach(e -> seen.add(e.path("action").asText() + ":" + e.path("version").asText()));
        assertEquals(List.of("undeployed:2", "replaced:2", "deployed:1"), seen, events.toString());
        assertEquals("bootstrap", events.get(0).path("actor").asText());
        assertEquals("a-pump", events.get(0).path("selector").path("value").asText());
        assertTrue(events.get(0).path("at").asText().startsWith("2026-"), events.toString());
    }

    @Test
    void badRequestsAreRefusedInTheErrorShape() {
        JsonNode fn = upload("b-fn", "1", 1);
        String id = fn.path("id").asText();
        assertEquals("invalid_request", put("{\"functionId\":\"" + id + "\"}").errorCode(), "no selector");
        Api.Response two = put("{\"functionId\":\"" + id + "\",\"selector\":{\"deviceId\":\"x\",\"deviceType\":\"y\"}}");
        assertEquals(400, two.status(), two.raw());
        assertEquals("selector", two.body().path("error").path("details").path("field").asText());
        assertEquals(400, put("{\"functionId\":\"" + id + "\",\"selector\":{\"label\":\"nokey\"}}").status());
        assertEquals(400, put("{\"functionId\":\"" + id + "\",\"selector\":{\"deviceType\":\"p\"},\"order\":-1}")
                .status());
        assertEquals(400, put("{\"functionId\":\"" + id + "\",\"selector\":{\"site\":\"p\"}}").status());
        Api.Response unknown = put("{\"functionId\":\"00000000-0000-0000-0000-000000000000\","
                + "\"selector\":{\"deviceType\":\"p\"}}");
        assertEquals(404, unknown.status(), unknown.raw());
        assertEquals("not_found", unknown.errorCode());
        assertEquals(400, h.api.put("/api/v1/deployments", h.operator(), "not json").status());
        Api.Response viewer = h.api.put("/api/v1/deployments", h.viewer(),
                "{\"functionId\":\"" + id + "\",\"selector\":{\"deviceType\":\"p\"}}");
        assertEquals(403, viewer.status(), viewer.raw());
        assertEquals(401, h.api.put("/api/v1/deployments", null, "{}").status());
        assertEquals(404, h.api.delete("/api/v1/deployments/not-a-uuid", h.operator()).status());
        assertEquals(404, h.api.get("/api/v1/deployments/00000000-0000-0000-0000-000000000000/devices",
                h.operator()).status());
    }

    // --- helpers

    static JsonNode upload(String name, String version, int k) {
        Api.Response r = FunctionArtifactsIT.upload(h, name, version, FunctionArtifactsIT.module(k));
        assertEquals(201, r.status(), r.raw());
        return r.body();
    }

    static String register(String deviceId, String type, String metadata) {
        return registerOn(h, deviceId, type, metadata);
    }

    /** Registers a device of the type (metadata: a JSON object or null) on the harness; returns its token. */
    static String registerOn(Harness h, String deviceId, String type, String metadata) {
        Api.Response r = h.api.post("/api/v1/devices/register", h.credentials.enrollmentKey(),
                "{\"deviceId\":\"" + deviceId + "\",\"name\":\"" + deviceId + "\",\"deviceType\":\"" + type + "\""
                        + (metadata == null ? "" : ",\"metadata\":" + metadata) + "}");
        assertEquals(201, r.status(), r.raw());
        return r.text("token");
    }

    static Api.Response deploy(JsonNode fn, String selector, int order) {
        return put("{\"functionId\":\"" + fn.path("id").asText() + "\",\"selector\":" + selector
                + ",\"order\":" + order + "}");
    }

    static Api.Response put(String body) {
        return h.api.put("/api/v1/deployments", h.operator(), body);
    }

    static JsonNode plan(String nodeId, String token) {
        Api.Response r = h.api.get("/api/v1/nodes/" + nodeId + "/sync", token);
        assertEquals(200, r.status(), r.raw());
        return r.body();
    }

    /** What a node runs after applying the plan's deploy actions, as the edge reports it. */
    static ArrayNode ranOf(JsonNode plan) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (JsonNode a : plan.path("actions")) {
            if ("deploy_function".equals(a.path("type").asText())) {
                out.addObject().put("id", a.path("id").asText()).put("name", a.path("name").asText())
                        .put("version", a.path("version").asText()).put("hash", a.path("hash").asText())
                        .put("order", a.path("order").asInt());
            }
        }
        return out;
    }

    static Api.Response ack(String nodeId, String token, JsonNode plan, String status, String error,
                            ArrayNode functions) {
        ObjectNode body = Json.mapper().createObjectNode().put("syncId", plan.path("syncId").asText())
                .put("status", status);
        if (error != null) {
            body.put("error", error);
        }
        if (functions != null) {
            body.putObject("state").put("schemaVersion", 0).set("functions", functions);
        }
        return h.api.post("/api/v1/nodes/" + nodeId + "/sync/ack", token, Json.toString(body));
    }

    static JsonNode rollout(String deploymentId) {
        Api.Response r = h.api.get("/api/v1/deployments/" + deploymentId + "/devices", h.viewer());
        assertEquals(200, r.status(), r.raw());
        return r.body();
    }

    static Map<String, JsonNode> byDevice(JsonNode rollout) {
        Map<String, JsonNode> out = new java.util.HashMap<>();
        rollout.path("devices").forEach(d -> out.put(d.path("deviceId").asText(), d));
        return out;
    }

    static HttpResponse<String> download(JsonNode fn, String token) throws Exception {
        return FunctionArtifactsIT.HTTP.send(HttpRequest.newBuilder(URI.create(h.dispatcher.url()
                        + "/api/v1/functions/" + fn.path("id").asText() + "/download"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<String> names(JsonNode actions, String type) {
        List<String> out = new ArrayList<>();
        actions.forEach(a -> {
            if (type.equals(a.path("type").asText())) {
                out.add(a.path("name").asText());
            }
        });
        return out;
    }

    /** node_function_deployments rows of devices whose id starts with the prefix: device|name|version|hash. */
    static List<String> running(String prefix) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(PG.jdbcUrl()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT device_id, name, version, hash FROM node_function_deployments "
                     + "WHERE device_id LIKE '" + prefix + "%' ORDER BY device_id, name")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
            }
        }
        return out;
    }
}
