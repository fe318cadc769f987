package io.edgesync.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.agent.plan.NodeSync;
import io.edgesync.cli.ControlPlane;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.ChildJvm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sync plans executed by the real edge agent against the real dispatcher and PostgreSQL: convergence
 * in one plan, rollback of a migration that fails at the edge (store compared schema and rows), and a
 * kill -9 between applying and acknowledging. The schema registry is shared, so the tests run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodePlanIT {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static Path dir;
    static ControlPlane plane;
    static EdgeAgent agent;

    @BeforeAll
    static void start() throws Exception {
        dir = TempDirs.create("node-plan-");
        plane = ControlPlane.start(new ControlPlane.Options(dir.resolve("plane"), 0, 0, 0, 0, null, false));
        assertEquals(201, schema(1, "activity", "CREATE TABLE activity (id INTEGER PRIMARY KEY, app TEXT NOT NULL)")
                .statusCode());
        assertEquals(201, schema(2, "title", "ALTER TABLE activity ADD COLUMN title TEXT").statusCode());
        agent = open(config("node-1", dir.resolve("node-1.db"), plane.dispatcherUrl(), null));
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
    void aNodeAtSchemaZeroConvergesInOnePlanAndTheSecondPollIsEmpty() throws Exception {
        // GIVEN a node at schema 0 and two registered migrations
        assertEquals(0, agent.schemas().version());
        // WHEN the agent polls its plan
        NodeSync.Cycle first = agent.nodeSync().cycle();
        // THEN both are applied in one plan and acknowledged; the dispatcher tracks version 2
        assertEquals("success", first.status(), first.toString());
        assertEquals(List.of(1L, 2L), first.schemasApplied());
        assertEquals(List.of(1L, 2L), agent.schemas().appliedVersions());
        assertTrue(dump(dir.resolve("node-1.db")).contains("title TEXT"), "the user table has the new column");
        assertEquals(2, operator("GET", "/api/v1/nodes/node-1", null).path("schemaVersion").asLong());
        NodeSync.Cycle second = agent.nodeSync().cycle();
        assertEquals("empty", second.status(), second.toString());
        JsonNode history = operator("GET", "/api/v1/nodes/node-1/sync/history", null).path("records");
        assertEquals(1, history.size(), history.toString());
        assertEquals("full", history.get(0).path("syncType").asText());
        assertEquals(2, history.get(0).path("schemasApplied").asInt());
    }

    @Test
    @Order(2)
    void aMigrationFailingAtTheEdgeLeavesTheStoreExactlyAsItWasAndIsReportedOnce() throws Exception {
        // GIVEN user rows that a unique index cannot hold, and two more migrations, the second failing here
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("node-1.db"));
             Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO activity (id, app, title) VALUES (1, 'editor', 'a'), (2, 'editor', 'b'),"
                    + " (3, 'mail', 'c')");
        }
        assertEquals(201, schema(3, "extra", "CREATE TABLE extra (x INTEGER); INSERT INTO extra VALUES (1);"
                + " UPDATE activity SET title = 'changed' WHERE id = 3").statusCode());
        assertEquals(201, schema(4, "unique app", "CREATE UNIQUE INDEX activity_app ON activity (app)").statusCode());
        String before = dump(dir.resolve("node-1.db"));

        // WHEN the agent executes the plan
        NodeSync.Cycle failed = agent.nodeSync().cycle();

        // THEN the store is unchanged (schema and rows), the plan is acknowledged failed with SQLite's error
        assertEquals("failed", failed.status(), failed.toString());
        assertTrue(failed.error().startsWith("version 4:") && failed.error().contains("UNIQUE"), failed.error());
        assertEquals(before, dump(dir.resolve("node-1.db")));
        assertEquals(2, agent.schemas().version());
        assertEquals(List.of(), failed.waits(), "a permanent error is not retried");
        JsonNode record = operator("GET", "/api/v1/nodes/node-1/sync/history", null).path("records").get(0);
        assertEquals("failed", record.path("status").asText(), record.toString());
        assertEquals(failed.error(), record.path("errorMessage").asText());
        assertEquals(false, record.path("retryable").asBoolean(true));
        assertEquals(2, operator("GET", "/api/v1/nodes/node-1", null).path("schemaVersion").asLong(),
                "the tracked state does not move on failure");

        // AND the same plan is not executed or reported again
        NodeSync.Cycle again = agent.nodeSync().cycle();
        assertEquals("blocked", again.status(), again.toString());
        assertEquals(before, dump(dir.resolve("node-1.db")));
        assertEquals(2, operator("GET", "/api/v1/nodes/node-1/sync/history", null).path("records").size());
    }

    @Test
    @Order(3)
    void anAgentKilledBetweenApplyingAndAcknowledgingConvergesAfterRestartWithoutApplyingTwice() throws Exception {
        // GIVEN a registered node whose acknowledgements never get through
        String token = registerNode("node-crash");
        Path db = dir.resolve("node-crash.db");
        Path log = dir.resolve("node-crash.log");
        try (AckHoldingProxy proxy = AckHoldingProxy.start(plane.dispatcherUrl());
             ChildJvm child = ChildJvm.start("node-agent", log, "256m", NodeAgentMain.class,
                     args(config("node-crash", db, proxy.url(), token)))) {
            // WHEN it applied its plan and is acknowledging, it is killed with SIGKILL
            assertTrue(proxy.awaitAck(120), "the agent acknowledged; log " + log);
            child.awaitOutput("event=sync_plan_applied", 1, Duration.ofSeconds(30));
            child.kill();
        }
        assertEquals(0, operator("GET", "/api/v1/nodes/node-crash", null).path("schemaVersion").asLong(),
                "the acknowledgement never arrived");
        assertEquals(List.of(1L, 2L, 3L, 4L), historyVersions(db), "the migrations were committed before the kill");
        String applied = dump(db);

        // THEN restarted on the same store, it converges: the open plan is executed again, nothing re-applied
        try (ChildJvm child = ChildJvm.start("node-agent", log, "256m", NodeAgentMain.class,
                args(config("node-crash", db, plane.dispatcherUrl(), token)))) {
            Await.until(Duration.ofSeconds(60), () -> operator("GET", "/api/v1/nodes/node-crash", null),
                    n -> n.path("schemaVersion").asLong() == 4, "node-crash tracked at schema 4");
            child.awaitOutput("event=sync_plan_applied", 2, Duration.ofSeconds(30));
            child.stop(Duration.ofSeconds(60));
        }
        assertEquals(List.of(1L, 2L, 3L, 4L), historyVersions(db));
        assertEquals(applied, dump(db), "nothing was applied a second time");
        String output = java.nio.file.Files.readString(log);
        assertTrue(!output.contains("event=schema_migration_failed"), output);
        assertTrue(output.contains("schemas_applied=[] state_schema=4"), output);
        JsonNode records = operator("GET", "/api/v1/nodes/node-crash/sync/history", null).path("records");
        assertEquals("success", records.get(0).path("status").asText(), records.toString());
    }

    static Map<String, String> config(String id, Path db, String dispatcherUrl, String token) {
        Map<String, String> m = new HashMap<>(Map.of("agent.device-id", id, "agent.database", db.toString(),
                "agent.dispatcher-url", dispatcherUrl, "agent.gateway-url", "http://127.0.0.1:9",
                "agent.http.port", "-1", "agent.node-sync.interval", "1s", "agent.command-wait", "1s",
                "agent.retry.initial-interval", "200ms", "agent.sync-interval", "1h"));
        if (token != null) {
            m.put("agent.token", token);
        } else {
            m.put("agent.enrollment-key", plane.credentials().enrollmentKey());
        }
        return m;
    }

    private static EdgeAgent open(Map<String, String> settings) {
        return EdgeAgent.open(AgentConfig.from(ConfigSource.of(settings)));
    }

    private static String[] args(Map<String, String> settings) {
        return settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    static HttpResponse<String> schema(long version, String description, String upSql) throws Exception {
        return send("POST", "/api/v1/schemas", plane.credentials().operatorToken(), Json.toString(Map.of(
                "version", version, "description", description, "upSql", upSql)));
    }

    static String registerNode(String id) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/nodes/register", plane.credentials().enrollmentKey(),
                Json.toString(Map.of("nodeId", id, "name", id)));
        assertEquals(201, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body()).path("token").asText();
    }

    static JsonNode operator(String method, String path, String body) throws Exception {
        HttpResponse<String> r = send(method, path, plane.credentials().operatorToken(), body);
        assertTrue(r.statusCode() / 100 == 2, path + " answered " + r.statusCode() + " " + r.body());
        return Json.mapper().readTree(r.body());
    }

    static HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(plane.dispatcherUrl() + path))
                .header("Authorization", "Bearer " + bearer)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<Long> historyVersions(Path db) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM edge_schema_history ORDER BY version")) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /** Every schema object and every row of the user's tables and the schema history, in a stable order. */
    static String dump(Path db) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")) {
                while (rs.next()) {
                    out.append(rs.getString(1)).append(' ').append(rs.getString(2)).append(' ')
                            .append(rs.getString(3)).append('\n');
                    if ("table".equals(rs.getString(1))) {
                        tables.add(rs.getString(2));
                    }
                }
            }
            for (String t : tables) {
                if (List.of("sync_log", "agent_state", "command_queue", "device_config").contains(t)) {
                    continue; // the agent's own bookkeeping moves with every heartbeat and command poll
                }
                try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + t + "\" ORDER BY 1")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        out.append(t).append(':');
                        for (int i = 1; i <= n; i++) {
                            out.append(rs.getString(i)).append('|');
                        }
                        out.append('\n');
                    }
                }
            }
        }
        return out.toString();
    }
}
