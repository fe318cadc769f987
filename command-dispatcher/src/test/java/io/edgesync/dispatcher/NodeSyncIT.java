package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.json.Json;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nodes (devices), edge schema registration checked on scratch SQLite, sync plans, acknowledgements
 * and history against the real dispatcher and PostgreSQL. The schema registry is shared by the
 * class, so the tests run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeSyncIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension(1);
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static final String ACTIVITY = "CREATE TABLE activity (id INTEGER PRIMARY KEY, app TEXT NOT NULL)";
    static final String ACTIVITY_TITLE = "ALTER TABLE activity ADD COLUMN title TEXT";

    static Harness h;

    @BeforeAll
    static void start() {
        h = new Harness(KAFKA.bootstrapServers(), PG.jdbcUrl(), Map.of());
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    @Order(1)
    void schemasAreRegisteredInIncreasingVersionsAndAreImmutable() {
        Api.Response first = schema(1, "activity table", ACTIVITY, "DROP TABLE activity");
        assertEquals(201, first.status(), first.raw());
        assertEquals(64, first.text("checksum").length());
        assertEquals(200, schema(1, "activity table", ACTIVITY, "DROP TABLE activity").status(),
                "the same version and content again is a no-op");
        Api.Response changed = schema(1, "activity table", ACTIVITY + ", x TEXT", null);
        assertEquals(409, changed.status(), changed.raw());
        assertEquals("conflict", changed.errorCode());

        assertEquals(201, schema(5, "title", ACTIVITY_TITLE, "ALTER TABLE activity DROP COLUMN title").status());
        Api.Response lower = schema(3, "too late", "CREATE TABLE t3 (x)", null);
        assertEquals(409, lower.status(), "a version below the latest is refused: " + lower.raw());
        assertEquals(5, lower.body().path("error").path("details").path("latestVersion").asLong());

        JsonNode list = h.api.get("/api/v1/schemas", h.viewer()).body().path("schemas");
        assertEquals(2, list.size());
        assertEquals(1, list.get(0).path("version").asLong());
        assertEquals(5, list.get(1).path("version").asLong());
        assertEquals(ACTIVITY_TITLE, list.get(1).path("upSql").asText());
    }

    @Test
    @Order(2)
    void invalidMigrationsAreRefusedWithTheSqliteErrorAndNothingIsRegistered() {
        Api.Response syntax = schema(6, "broken", "CREATE TABL nope (x)", null);
        assertEquals(400, syntax.status(), syntax.raw());
        assertEquals("invalid_request", syntax.errorCode());
        JsonNode details = syntax.body().path("error").path("details");
        assertEquals("upSql", details.path("field").asText());
        assertTrue(details.path("sqliteError").asText().contains("syntax error"), details.toString());

        Api.Response missing = schema(6, "needs a table", "ALTER TABLE nowhere ADD COLUMN y TEXT", null);
        assertEquals(400, missing.status(), "runs after the registered versions, where no such table exists");

        Api.Response down = schema(6, "bad down", "CREATE TABLE t6 (x)", "DROP TABLE not_there");
        assertEquals("downSql", down.body().path("error").path("details").path("field").asText(), down.raw());

        Api.Response internal = schema(6, "sneaky", "INSERT INTO agent_state (sentinel) VALUES ('x')", null);
        assertEquals(400, internal.status(), internal.raw());
        assertTrue(internal.body().path("error").path("message").asText().contains("internal tables"));
        assertEquals(400, schema(6, "sneaky", "DROP TABLE command_queue", null).status());
        assertEquals(400, schema(6, "sneaky", "PRAGMA user_version = 99", null).status());

        Api.Response commit = schema(6, "own transaction", "CREATE TABLE t6 (x); COMMIT; CREATE TABLE t7 (y)", null);
        assertEquals(400, commit.status(), commit.raw());
        assertEquals(400, schema(6, "own transaction", "BEGIN; CREATE TABLE t6 (x); COMMIT", null).status());

        assertEquals("invalid_request", schema(0, "zero", "CREATE TABLE z (x)", null).errorCode());
        assertEquals("invalid_request", h.api.post("/api/v1/schemas", h.operator(), "{\"version\":6}").errorCode());
        assertEquals(403, h.api.post("/api/v1/schemas", h.viewer(),
                "{\"version\":6,\"description\":\"d\",\"upSql\":\"CREATE TABLE t6 (x)\"}").status());
        assertEquals(2, h.api.get("/api/v1/schemas", h.operator()).body().path("schemas").size(),
                "nothing refused was registered");
    }

    @Test
    @Order(3)
    void aNewNodeGetsOneFullPlanAndAfterSuccessAnEmptyOne() {
        // GIVEN a node registered through the node API with a region, at schema 0
        String token = registerNode("node-a", "eu-west");
        JsonNode node = h.api.get("/api/v1/nodes/node-a", h.operator()).body();
        assertEquals("eu-west", node.path("region").asText());
        assertEquals(0, node.path("schemaVersion").asLong());
        assertEquals("offline", node.path("status").asText());
        assertEquals("eu-west", h.api.get("/api/v1/devices/node-a", h.operator()).body().path("region").asText(),
                "the node is the device");

        // WHEN it fetches its plan
        JsonNode plan = h.api.get("/api/v1/nodes/node-a/sync", token).body();

        // THEN both migrations come in order in one full plan, and the node is syncing until it acknowledges
        assertEquals("full", plan.path("syncType").asText(), plan.toString());
        assertEquals(2, plan.path("actions").size());
        assertEquals("apply_schema", plan.path("actions").get(0).path("type").asText());
        assertEquals(1, plan.path("actions").get(0).path("version").asLong());
        assertEquals(ACTIVITY, plan.path("actions").get(0).path("upSql").asText());
        assertEquals(5, plan.path("actions").get(1).path("version").asLong());
        String syncId = plan.path("syncId").asText();
        assertEquals(syncId, h.api.get("/api/v1/nodes/node-a/sync", token).text("syncId"),
                "fetching again hands out the same open plan");
        assertEquals("syncing", h.api.get("/api/v1/nodes/node-a", token).text("status"));

        Api.Response ack = h.api.post("/api/v1/nodes/node-a/sync/ack", token, Json.toString(Map.of("syncId", syncId,
                "status", "success", "state", Map.of("schemaVersion", 5, "functions", java.util.List.of()))));
        assertEquals(200, ack.status(), ack.raw());
        assertEquals("success", ack.text("status"));
        assertEquals(2, ack.body().path("schemasApplied").asInt());

        h.api.post("/api/v1/nodes/node-a/heartbeat", token, "{}");
        JsonNode after = h.api.get("/api/v1/nodes/node-a", token).body();
        assertEquals(5, after.path("schemaVersion").asLong());
        assertEquals("online", after.path("status").asText());
        JsonNode second = h.api.get("/api/v1/nodes/node-a/sync", token).body();
        assertEquals(0, second.path("actions").size(), second.toString());
        assertTrue(second.path("syncId").isNull());
        assertEquals(200, h.api.post("/api/v1/nodes/node-a/sync/ack", token,
                Json.toString(Map.of("syncId", syncId, "status", "success"))).status(), "a repeated ack is a no-op");

        JsonNode history = h.api.get("/api/v1/nodes/node-a/sync/history?limit=10", h.viewer()).body()
                .path("records");
        assertEquals(1, history.size(), "an empty plan is not recorded: " + history);
        assertEquals("success", history.get(0).path("status").asText());
        assertEquals(0, history.get(0).path("fromSchemaVersion").asLong());
        assertEquals(5, history.get(0).path("toSchemaVersion").asLong());
        assertFalse(history.get(0).path("completedAt").isNull());
    }

    @Test
    @Order(4)
    void aFailedPlanLeavesTheTrackedStateAndAPermanentFailureIsNotHandedOutAgain() {
        String token = registerNode("node-b", null);
        String syncId = h.api.get("/api/v1/nodes/node-b/sync", token).text("syncId");
        Api.Response failed = h.api.post("/api/v1/nodes/node-b/sync/ack", token, Json.toString(Map.of(
                "syncId", syncId, "status", "failed", "error", "version 5: duplicate column", "retryable", false)));
        assertEquals(200, failed.status(), failed.raw());
        assertEquals(409, h.api.post("/api/v1/nodes/node-b/sync/ack", token,
                Json.toString(Map.of("syncId", syncId, "status", "success"))).status(), "a failed plan stays failed");

        JsonNode node = h.api.get("/api/v1/nodes/node-b", token).body();
        assertEquals(0, node.path("schemaVersion").asLong(), "the tracked state does not move on failure");
        JsonNode record = h.api.get("/api/v1/nodes/node-b/sync/history", h.operator()).body().path("records").get(0);
        assertEquals("failed", record.path("status").asText());
        assertEquals("version 5: duplicate column", record.path("errorMessage").asText());
        assertEquals(0, record.path("schemasApplied").asInt());

        JsonNode blocked = h.api.get("/api/v1/nodes/node-b/sync", token).body();
        assertEquals(0, blocked.path("actions").size(), blocked.toString());
        assertEquals(syncId, blocked.path("blocked").path("syncId").asText());

        // WHEN the target changes (a new version), a new plan is handed out again
        assertEquals(201, schema(6, "more", "CREATE TABLE file_events (id INTEGER PRIMARY KEY)", null).status());
        JsonNode next = h.api.get("/api/v1/nodes/node-b/sync", token).body();
        assertEquals(3, next.path("actions").size(), next.toString());
        assertNotEquals(syncId, next.path("syncId").asText());
    }

    @Test
    @Order(5)
    void badAcknowledgementsAreRefusedInTheErrorShape() {
        String a = registerNode("node-c", null);
        String b = registerNode("node-d", null);
        String planA = h.api.get("/api/v1/nodes/node-c/sync", a).text("syncId");
        String planB = h.api.get("/api/v1/nodes/node-d/sync", b).text("syncId");

        Api.Response unknown = h.api.post("/api/v1/nodes/node-c/sync/ack", a, Json.toString(Map.of(
                "syncId", java.util.UUID.randomUUID().toString(), "status", "success")));
        assertEquals(404, unknown.status());
        assertEquals("not_found", unknown.errorCode());
        assertEquals(404, h.api.post("/api/v1/nodes/node-c/sync/ack", a, Json.toString(Map.of(
                "syncId", "not-a-uuid", "status", "success"))).status());
        Api.Response others = h.api.post("/api/v1/nodes/node-c/sync/ack", a, Json.toString(Map.of(
                "syncId", planB, "status", "success")));
        assertEquals(404, others.status(), "another node's plan is not this node's: " + others.raw());
        Api.Response forOther = h.api.post("/api/v1/nodes/node-d/sync/ack", a, Json.toString(Map.of(
                "syncId", planB, "status", "success")));
        assertEquals(403, forOther.status());
        assertEquals("forbidden", forOther.errorCode());
        assertEquals(403, h.api.get("/api/v1/nodes/node-d/sync", a).status());

        assertEquals("invalid_request", h.api.post("/api/v1/nodes/node-c/sync/ack", a, Json.toString(Map.of(
                "syncId", planA, "status", "done"))).errorCode());
        assertEquals("invalid_request", h.api.post("/api/v1/nodes/node-c/sync/ack", a, Json.toString(Map.of(
                "syncId", planA, "status", "failed"))).errorCode(), "a failure needs its error");
        assertEquals("invalid_request", h.api.post("/api/v1/nodes/node-c/sync/ack", a, Json.toString(Map.of(
                "syncId", planA, "status", "success", "state", Map.of("schemaVersion", 4)))).errorCode(),
                "4 is not a registered version");
        assertEquals("malformed_body", h.api.post("/api/v1/nodes/node-c/sync/ack", a, "[").errorCode());
        assertEquals(0, h.api.get("/api/v1/nodes/node-c", a).body().path("schemaVersion").asLong());
        assertEquals(404, h.api.get("/api/v1/nodes/nobody/sync/history", h.operator()).status());
    }

    private static Api.Response schema(long version, String description, String up, String down) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("version", version, "description", description,
                "upSql", up));
        if (down != null) {
            body.put("downSql", down);
        }
        return h.api.post("/api/v1/schemas", h.operator(), Json.toString(body));
    }

    private static String registerNode(String id, String region) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("nodeId", id, "name", "node " + id));
        if (region != null) {
            body.put("region", region);
        }
        Api.Response r = h.api.post("/api/v1/nodes/register", h.credentials.enrollmentKey(), Json.toString(body));
        assertEquals(201, r.status(), r.raw());
        return r.text("token");
    }
}
