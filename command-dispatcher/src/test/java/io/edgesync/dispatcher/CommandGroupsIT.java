package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Group commands against a real broker and PostgreSQL: fan-out in batches, aggregated counts, cancel, resume. */
class CommandGroupsIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static Harness h;

    @BeforeAll
    static void start() {
        h = new Harness(KAFKA.bootstrapServers(), PG.jdbcUrl(), Map.of("dispatcher.command-group-batch-size", "300"));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void groupCommandToThousandDevicesHasExactAggregatedCounts() throws Exception {
        Map<String, String> tokens = registerMany("fleet-", 1000, "meter-g", null);

        long start = System.nanoTime();
        Api.Response r = h.api.post("/api/v1/command-groups", h.operator(),
                "{\"commandType\":\"set-rate\",\"payload\":{\"hz\":5},\"selector\":{\"deviceType\":\"meter-g\"}}");
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("group command fan-out: 1000 devices, batches of 300, " + millis + " ms");

        assertEquals(201, r.status(), r.raw());
        String group = r.text("groupId");
        assertEquals(1000, r.body().path("devices").asInt());
        assertEquals(counts(1000, 0, 0, 0, 0, 0), counts(r.body()));
        assertEquals(1000, sql("SELECT count(DISTINCT device_id) FROM commands WHERE group_id = '" + group + "'"));

        // 100 devices poll; 60 report executed, 20 failed, 20 leave theirs delivered
        List<String> polled = new ArrayList<>(tokens.keySet()).subList(0, 100);
        for (int i = 0; i < polled.size(); i++) {
            String device = polled.get(i);
            Api.Response poll = h.api.get("/api/v1/sync/commands/" + device, tokens.get(device));
            assertEquals(1, poll.body().path("commands").size(), poll.raw());
            JsonNode cmd = poll.body().path("commands").get(0);
            assertEquals(group, cmd.path("groupId").asText());
            if (i < 80) {
                Api.Response ack = h.api.post("/api/v1/sync/ack/" + cmd.path("commandId").asText(),
                        tokens.get(device), "{\"status\":\"" + (i < 60 ? "executed" : "failed") + "\"}");
                assertEquals(200, ack.status(), ack.raw());
            }
        }

        Api.Response status = h.api.get("/api/v1/command-groups/" + group, h.viewer());
        assertEquals(200, status.status(), status.raw());
        assertEquals(counts(900, 20, 60, 20, 0, 0), counts(status.body()));
        Api.Response executed = h.api.get("/api/v1/command-groups/" + group + "/commands?status=executed&limit=1000",
                h.operator());
        assertEquals(60, executed.body().path("commands").size(), executed.raw());
        Await.equalTo(Duration.ofSeconds(30), () -> groupEvents(group, "pending"), 1000L, "pending events of the group");
        Await.equalTo(Duration.ofSeconds(30), () -> groupEvents(group, "executed"), 60L, "executed events");
        Api.Response audit = h.api.get("/api/v1/audit?kind=command_group.created&subject=" + group, h.operator());
        assertEquals(1, audit.body().path("events").size(), audit.raw());
        assertEquals(1000, audit.body().path("events").get(0).path("detail").path("devices").asInt());
        assertEquals(1000, sql("SELECT count(*) FROM audit_events WHERE kind = 'command.created' "
                + "AND detail ->> 'groupId' = '" + group + "'"));
    }

    @Test
    void cancelCancelsOpenCommandsAndLeavesFinishedOnes() {
        Map<String, String> tokens = registerMany("cx-", 5, "cx-pump", "{\"labels\":{\"site\":\"oslo\"}}");
        Api.Response r = h.api.post("/api/v1/command-groups", h.operator(),
                "{\"commandType\":\"reboot\",\"selector\":{\"label\":\"site=oslo\"}}");
        assertEquals(201, r.status(), r.raw());
        String group = r.text("groupId");
        JsonNode cmd = h.api.get("/api/v1/sync/commands/cx-0", tokens.get("cx-0")).body().path("commands").get(0);
        h.api.post("/api/v1/sync/ack/" + cmd.path("commandId").asText(), tokens.get("cx-0"), "{\"status\":\"executed\"}");
        h.api.get("/api/v1/sync/commands/cx-1", tokens.get("cx-1")); // cx-1's is delivered

        Api.Response cancel = h.api.post("/api/v1/command-groups/" + group + "/cancel", h.operator(), null);

        assertEquals(200, cancel.status(), cancel.raw());
        assertEquals(4, cancel.body().path("cancelledNow").asInt());
        assertEquals(counts(0, 0, 1, 0, 0, 4), counts(cancel.body()));
        assertTrue(cancel.body().hasNonNull("cancelledAt"));
        Api.Response again = h.api.post("/api/v1/command-groups/" + group + "/cancel", h.operator(), null);
        assertEquals(0, again.body().path("cancelledNow").asInt());
        assertEquals(0, h.api.get("/api/v1/sync/commands/cx-2", tokens.get("cx-2")).body().path("commands").size());
        Await.equalTo(Duration.ofSeconds(30), () -> groupEvents(group, "cancelled"), 4L, "cancelled events");
        Api.Response audit = h.api.get("/api/v1/audit?kind=command_group.cancelled&subject=" + group, h.operator());
        assertEquals(1, audit.body().path("events").size(), audit.raw());
    }

    @Test
    void resendingWithTheSameGroupIdCreatesNoSecondCommand() {
        registerMany("rs-", 3, "rs-pump", null);
        String id = UUID.randomUUID().toString();
        String body = "{\"groupId\":\"" + id + "\",\"commandType\":\"ping\",\"selector\":{\"deviceIds\":"
                + "[\"rs-0\",\"rs-1\",\"rs-2\"]}}";

        Api.Response first = h.api.post("/api/v1/command-groups", h.operator(), body);
        Api.Response second = h.api.post("/api/v1/command-groups", h.operator(), body);

        assertEquals(201, first.status(), first.raw());
        assertEquals(200, second.status(), second.raw());
        assertEquals(counts(3, 0, 0, 0, 0, 0), counts(second.body()));
        assertEquals(3, sql("SELECT count(*) FROM commands WHERE group_id = '" + id + "'"));
        Api.Response other = h.api.post("/api/v1/command-groups", h.operator(),
                "{\"groupId\":\"" + id + "\",\"commandType\":\"reboot\",\"selector\":{\"deviceType\":\"rs-pump\"}}");
        assertEquals(409, other.status(), other.raw());
        assertEquals("conflict", other.errorCode());
    }

    @Test
    void concurrentIdenticalCreatesShareOneGroupAndOneCommandPerDevice() throws Exception {
        registerMany("cc-", 600, "cc-pump", null);
        String id = UUID.randomUUID().toString();
        String body = "{\"groupId\":\"" + id + "\",\"commandType\":\"ping\",\"selector\":{\"deviceType\":\"cc-pump\"}}";

        List<Api.Response> answers = concurrently(List.of(body, body, body, body, body, body));

        List<Integer> statuses = answers.stream().map(Api.Response::status).sorted().toList();
        assertEquals(List.of(200, 200, 200, 200, 200, 201), statuses, answers.toString());
        for (Api.Response a : answers) {
            assertEquals(id, a.text("groupId"), a.raw());
            assertEquals(600, a.body().path("devices").asInt(), a.raw());
        }
        assertEquals(600, sql("SELECT count(*) FROM commands WHERE group_id = '" + id + "'"));
        assertEquals(600, sql("SELECT count(DISTINCT device_id) FROM commands WHERE group_id = '" + id + "'"));
        assertEquals(1, sql("SELECT count(*) FROM audit_events WHERE kind = 'command_group.created' AND subject = '"
                + id + "'"));
    }

    @Test
    void concurrentCreateWithAnotherCommandTypeIsConflict() throws Exception {
        registerMany("cf-", 50, "cf-pump", null);
        String id = UUID.randomUUID().toString();
        String ping = "{\"groupId\":\"" + id + "\",\"commandType\":\"ping\",\"selector\":{\"deviceType\":\"cf-pump\"}}";
        String reboot = ping.replace("\"ping\"", "\"reboot\"");

        List<Api.Response> answers = concurrently(List.of(ping, reboot));

        List<Integer> statuses = answers.stream().map(Api.Response::status).sorted().toList();
        assertEquals(List.of(201, 409), statuses, answers.toString());
        Api.Response loser = answers.stream().filter(a -> a.status() == 409).findFirst().orElseThrow();
        assertEquals("conflict", loser.errorCode(), loser.raw());
        assertEquals("groupId", loser.body().path("error").path("details").path("field").asText(), loser.raw());
        assertEquals(50, sql("SELECT count(*) FROM commands WHERE group_id = '" + id + "'"));
        assertEquals(1, sql("SELECT count(DISTINCT command_type) FROM commands WHERE group_id = '" + id + "'"));
    }

    @Test
    void commandsPastTheirTtlCountAsExpired() {
        registerMany("ttl-", 4, "ttl-pump", null);
        Api.Response r = h.api.post("/api/v1/command-groups", h.operator(),
                "{\"commandType\":\"ping\",\"ttlSeconds\":60,\"selector\":{\"deviceType\":\"ttl-pump\"}}");
        assertEquals(201, r.status(), r.raw());

        h.clock.advance(Duration.ofSeconds(61));

        Api.Response status = h.api.get("/api/v1/command-groups/" + r.text("groupId"), h.operator());
        assertEquals(counts(0, 0, 0, 0, 4, 0), counts(status.body()));
        Api.Response expired = h.api.get("/api/v1/command-groups/" + r.text("groupId") + "/commands?status=expired",
                h.operator());
        assertEquals(4, expired.body().path("commands").size(), expired.raw());
        assertEquals("expired", expired.body().path("commands").get(0).path("status").asText());
    }

    @Test
    void badSelectorsAndViewersAreRefusedAndCreateNothing() {
        registerMany("bad-", 1, "bad-pump", null);
        long groupsBefore = sql("SELECT count(*) FROM command_groups");

        Api.Response unknown = h.api.post("/api/v1/command-groups", h.operator(),
                "{\"commandType\":\"ping\",\"selector\":{\"deviceIds\":[\"bad-0\",\"nobody-1\"]}}");
        Api.Response none = h.api.post("/api/v1/command-groups", h.operator(),
                "{\"commandType\":\"ping\",\"selector\":{\"deviceType\":\"no-such-type\"}}");
        Api.Response two = h.api.post("/api/v1/command-groups", h.operator(),
                "{\"commandType\":\"ping\",\"selector\":{\"deviceType\":\"bad-pump\",\"label\":\"a=b\"}}");
        Api.Response viewer = h.api.post("/api/v1/command-groups", h.viewer(),
                "{\"commandType\":\"ping\",\"selector\":{\"deviceType\":\"bad-pump\"}}");
        Api.Response missing = h.api.get("/api/v1/command-groups/" + UUID.randomUUID(), h.operator());
        Api.Response malformed = h.api.get("/api/v1/command-groups/nope", h.operator());

        assertEquals(400, unknown.status(), unknown.raw());
        assertEquals("nobody-1", unknown.body().path("error").path("details").path("unknownDeviceIds").get(0).asText());
        assertEquals(400, none.status(), none.raw());
        assertEquals("selector", none.body().path("error").path("details").path("field").asText());
        assertEquals(400, two.status(), two.raw());
        assertEquals(403, viewer.status(), viewer.raw());
        assertEquals(404, missing.status(), missing.raw());
        assertEquals(404, malformed.status(), malformed.raw());
        assertEquals(groupsBefore, sql("SELECT count(*) FROM command_groups"));
    }

    /** Sends the bodies at the same moment (each thread waits at a latch), answers in the bodies' order. */
    private static List<Api.Response> concurrently(List<String> bodies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(bodies.size());
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try {
            List<Future<Api.Response>> answers = new ArrayList<>();
            for (String b : bodies) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return h.api.post("/api/v1/command-groups", h.operator(), b);
                }));
            }
            go.countDown();
            List<Api.Response> out = new ArrayList<>();
            for (Future<Api.Response> f : answers) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, String> registerMany(String prefix, int n, String type, String metadata)
            throws RuntimeException {
        Map<String, String> tokens = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i : IntStream.range(0, n).toArray()) {
                String id = prefix + i;
                done.add(pool.submit(() -> tokens.put(id, DeploymentsIT.registerOn(h, id, type, metadata))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        tokens.keySet().stream().sorted().forEach(k -> ordered.put(k, tokens.get(k)));
        return ordered;
    }

    private static Map<String, Integer> counts(int pending, int delivered, int executed, int failed, int expired,
                                               int cancelled) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("pending", pending);
        m.put("delivered", delivered);
        m.put("executed", executed);
        m.put("failed", failed);
        m.put("expired", expired);
        m.put("cancelled", cancelled);
        return m;
    }

    private static Map<String, Integer> counts(JsonNode group) {
        JsonNode c = group.path("counts");
        return counts(c.path("pending").asInt(-1), c.path("delivered").asInt(-1), c.path("executed").asInt(-1),
                c.path("failed").asInt(-1), c.path("expired").asInt(-1), c.path("cancelled").asInt(-1));
    }

    private static long groupEvents(String group, String status) {
        return io.edgesync.testsupport.KafkaTopics.readAll(h.bootstrap, Topics.COMMAND_EVENTS.name()).stream()
                .map(r -> io.edgesync.shared.json.Json.fromBytes(r.value(), JsonNode.class))
                .filter(e -> group.equals(e.path("groupId").asText()) && status.equals(e.path("status").asText()))
                .count();
    }

    private static long sql(String query) {
        try (Connection c = DriverManager.getConnection(PG.jdbcUrl());
             PreparedStatement ps = c.prepareStatement(query);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
