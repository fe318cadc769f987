package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Commands against a real broker and PostgreSQL: every state, long-poll, re-delivery, expiry, acks. */
class CommandLifecycleIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static Harness h;

    @BeforeAll
    static void start() {
        h = new Harness(KAFKA.bootstrapServers(), PG.jdbcUrl(), Map.of(
                "dispatcher.visibility-timeout", "60s",
                "dispatcher.expiry-sweep-interval", "200ms"));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void createdCommandIsPendingAndDeliveredInCreationOrder() {
        String token = h.register("order-1");
        String first = create("order-1", "reboot", null);
        String second = create("order-1", "set-rate", null);
        assertEquals("pending", h.api.get("/api/v1/commands/" + first, h.operator()).text("status"));

        Api.Response poll = h.api.get("/api/v1/sync/commands/order-1", token);

        assertEquals(200, poll.status(), poll.raw());
        assertEquals(List.of(first, second), ids(poll));
        assertEquals("delivered", h.api.get("/api/v1/commands/" + first, h.operator()).text("status"));
        assertEquals(0, ids(h.api.get("/api/v1/sync/commands/order-1", token)).size(), "delivered once");
        Await.equalTo(Duration.ofSeconds(30), () -> h.records(Topics.COMMAND_EVENTS.name(), "order-1").stream()
                .filter(e -> e.path("commandId").asText().equals(first)).map(e -> e.path("status").asText()).toList(),
                List.of("pending", "delivered"), "events of the first command");
    }

    @Test
    void longPollAnswersWithinOneSecondOfACommandBeingCreated() throws Exception {
        String token = h.register("poll-1");
        CompletableFuture<Api.Response> poll = CompletableFuture.supplyAsync(
                () -> h.api.get("/api/v1/sync/commands/poll-1?wait=30", token));
        Await.until(Duration.ofSeconds(30), () -> waitingPolls(), n -> n >= 1, "a waiting long-poll");

        long created = System.nanoTime();
        String id = create("poll-1", "reboot", null);
        Api.Response r = poll.get(30, java.util.concurrent.TimeUnit.SECONDS);
        long millis = (System.nanoTime() - created) / 1_000_000;

        assertEquals(List.of(id), ids(r));
        assertTrue(millis < 1000, "answered " + millis + " ms after the command was created");
    }

    @Test
    void longPollOnAnotherInstanceIsWokenThroughCommandEvents() throws Exception {
        String token = h.register("poll-2");
        try (Harness other = new Harness(h, Map.of())) {
            CompletableFuture<Api.Response> poll = CompletableFuture.supplyAsync(
                    () -> other.api.get("/api/v1/sync/commands/poll-2?wait=30", token));
            Await.until(Duration.ofSeconds(30), () -> waitingPolls(other), n -> n >= 1, "a waiting long-poll");
            long created = System.nanoTime();
            String id = create("poll-2", "reboot", null);
            Api.Response r = poll.get(30, java.util.concurrent.TimeUnit.SECONDS);
            long millis = (System.nanoTime() - created) / 1_000_000;
            assertEquals(List.of(id), ids(r));
            assertTrue(millis < 1500, "answered " + millis + " ms after the command was created elsewhere");
        }
    }

    @Test
    void longPollAnswersAnEmptyListAtItsTimeout() {
        String token = h.register("poll-3");
        Api.Response r = h.api.get("/api/v1/sync/commands/poll-3?wait=1", token);
        assertEquals(200, r.status(), r.raw());
        assertEquals(0, ids(r).size());
        assertTrue(r.millis() >= 900, "waited " + r.millis() + " ms");
    }

    @Test
    void longPollWaitOutOfRangeIs400() {
        String token = h.register("poll-4");
        assertEquals("invalid_request", h.api.get("/api/v1/sync/commands/poll-4?wait=3600", token).errorCode());
        assertEquals("invalid_request", h.api.get("/api/v1/sync/commands/poll-4?wait=soon", token).errorCode());
    }

    @Test
    void unacknowledgedCommandIsDeliveredAgainAfterTheVisibilityTimeout() {
        String token = h.register("redeliver-1");
        String id = create("redeliver-1", "reboot", null);
        assertEquals(List.of(id), ids(h.api.get("/api/v1/sync/commands/redeliver-1", token)));
        h.clock.advance(Duration.ofSeconds(30));
        assertEquals(List.of(), ids(h.api.get("/api/v1/sync/commands/redeliver-1", token)), "still invisible");

        h.clock.advance(Duration.ofSeconds(31));
        Api.Response again = h.api.get("/api/v1/sync/commands/redeliver-1", token);

        assertEquals(List.of(id), ids(again));
        assertEquals(2, again.body().path("commands").get(0).path("deliveryCount").asInt());
    }

    @Test
    void commandPastItsTtlExpiresAndIsNeverDelivered() {
        String token = h.register("expire-1");
        String id = create("expire-1", "reboot", 120L);
        h.clock.advance(Duration.ofSeconds(121));

        assertEquals(List.of(), ids(h.api.get("/api/v1/sync/commands/expire-1", token)));
        assertEquals("expired", h.api.get("/api/v1/commands/" + id, h.operator()).text("status"));
        Api.Response late = h.api.post("/api/v1/sync/ack/" + id, token, "{\"status\":\"executed\"}");
        assertEquals(409, late.status(), late.raw());
    }

    @Test
    void deliveredCommandExpiresByTheSweepAndTheChangeIsPublished() {
        String token = h.register("expire-2");
        String id = create("expire-2", "reboot", 60L);
        assertEquals(List.of(id), ids(h.api.get("/api/v1/sync/commands/expire-2", token)));

        h.clock.advance(Duration.ofSeconds(61));

        Await.until(Duration.ofSeconds(30), () -> h.records(Topics.COMMAND_EVENTS.name(), "expire-2").stream()
                .map(e -> e.path("status").asText()).toList(), s -> s.contains("expired"), "expired event");
        assertEquals(List.of("pending", "delivered", "expired"), h.records(Topics.COMMAND_EVENTS.name(), "expire-2")
                .stream().map(e -> e.path("status").asText()).toList());
    }

    @Test
    void secondAckIsANoOpAndAContradictingAckIs409() {
        String token = h.register("ack-1");
        String id = create("ack-1", "reboot", null);
        h.api.get("/api/v1/sync/commands/ack-1", token);

        Api.Response first = h.api.post("/api/v1/sync/ack/" + id, token,
                "{\"status\":\"executed\",\"result\":{\"uptime\":3}}");
        Api.Response second = h.api.post("/api/v1/sync/ack/" + id, token, "{\"status\":\"executed\"}");
        Api.Response contradicting = h.api.post("/api/v1/sync/ack/" + id, token, "{\"status\":\"failed\"}");

        assertEquals(200, first.status(), first.raw());
        assertEquals("executed", first.text("status"));
        assertEquals(200, second.status(), second.raw());
        assertEquals(3, second.body().path("result").path("uptime").asInt(), "the first result is kept");
        assertEquals(409, contradicting.status(), contradicting.raw());
        assertEquals("conflict", contradicting.errorCode());
        Await.equalTo(Duration.ofSeconds(30), () -> h.records(Topics.COMMAND_EVENTS.name(), "ack-1").stream()
                .map(e -> e.path("status").asText()).toList(), List.of("pending", "delivered", "executed"),
                "events: the no-op ack publishes nothing");
    }

    @Test
    void failedAckIsRecordedAndBadAckBodiesAre400() {
        String token = h.register("ack-2");
        String id = create("ack-2", "reboot", null);
        assertEquals(409, h.api.post("/api/v1/sync/ack/" + id, token, "{\"status\":\"executed\"}").status(),
                "not delivered yet");
        h.api.get("/api/v1/sync/commands/ack-2", token);
        assertEquals("invalid_request", h.api.post("/api/v1/sync/ack/" + id, token, "{\"status\":\"done\"}").errorCode());
        assertEquals("malformed_body", h.api.post("/api/v1/sync/ack/" + id, token, "{status").errorCode());
        assertEquals(404, h.api.post("/api/v1/sync/ack/not-a-uuid", token, "{\"status\":\"failed\"}").status());

        Api.Response failed = h.api.post("/api/v1/sync/ack/" + id, token, "{\"status\":\"failed\",\"result\":\"disk\"}");

        assertEquals(200, failed.status(), failed.raw());
        assertEquals("failed", h.api.get("/api/v1/commands/" + id, h.operator()).text("status"));
    }

    @Test
    void cancelledCommandIsNotDeliveredAndCancellingAFinishedOneIs409() {
        String token = h.register("cancel-1");
        String pending = create("cancel-1", "reboot", null);
        Api.Response cancelled = h.api.post("/api/v1/commands/" + pending + "/cancel", h.operator(), null);
        assertEquals("cancelled", cancelled.text("status"), cancelled.raw());
        assertEquals(200, h.api.post("/api/v1/commands/" + pending + "/cancel", h.operator(), null).status(),
                "cancelling twice is a no-op");
        assertEquals(List.of(), ids(h.api.get("/api/v1/sync/commands/cancel-1", token)));

        String done = create("cancel-1", "reboot", null);
        h.api.get("/api/v1/sync/commands/cancel-1", token);
        h.api.post("/api/v1/sync/ack/" + done, token, "{\"status\":\"executed\"}");
        assertEquals(409, h.api.post("/api/v1/commands/" + done + "/cancel", h.operator(), null).status());
        Api.Response ack = h.api.post("/api/v1/sync/ack/" + pending, token, "{\"status\":\"executed\"}");
        assertEquals(409, ack.status(), "a cancelled command cannot be executed");
    }

    @Test
    void commandCreatedWhileTheDeviceIsOfflineIsDeliveredWhenItNextPolls() {
        String token = h.register("offline-1");
        h.api.post("/api/v1/devices/offline-1/heartbeat", token, "{}");
        h.clock.advance(Duration.ofMinutes(10));
        assertEquals("offline", h.api.get("/api/v1/devices/offline-1", h.operator()).text("status"));

        String id = create("offline-1", "reboot", null);
        h.clock.advance(Duration.ofMinutes(10));
        Api.Response poll = h.api.get("/api/v1/sync/commands/offline-1", token);

        assertEquals(List.of(id), ids(poll));
    }

    @Test
    void listFiltersByStatus() {
        String token = h.register("list-1");
        String a = create("list-1", "a", null);
        h.api.get("/api/v1/sync/commands/list-1", token);
        String b = create("list-1", "b", null);

        Api.Response pending = h.api.get("/api/v1/devices/list-1/commands?status=pending", h.operator());
        Api.Response all = h.api.get("/api/v1/devices/list-1/commands", h.operator());

        assertEquals(List.of(b), ids(pending));
        assertEquals(List.of(a, b), ids(all));
        assertEquals("invalid_request", h.api.get("/api/v1/devices/list-1/commands?status=lost", h.operator())
                .errorCode());
        assertEquals(404, h.api.get("/api/v1/devices/nobody/commands", h.operator()).status());
    }

    @Test
    void createValidatesItsInput() {
        h.register("create-1");
        assertEquals("invalid_request", h.api.post("/api/v1/devices/create-1/commands", h.operator(), "{}").errorCode());
        assertEquals("invalid_request", h.api.post("/api/v1/devices/create-1/commands", h.operator(),
                "{\"commandType\":\"x\",\"ttlSeconds\":0}").errorCode());
        assertEquals("invalid_request", h.api.post("/api/v1/devices/create-1/commands", h.operator(),
                "{\"commandType\":\"x\",\"ttlSeconds\":999999999}").errorCode());
        assertEquals("malformed_body", h.api.post("/api/v1/devices/create-1/commands", h.operator(), "[1]").errorCode());
        assertEquals(404, h.api.post("/api/v1/devices/nobody/commands", h.operator(), "{\"commandType\":\"x\"}")
                .status());
        assertEquals(404, h.api.get("/api/v1/commands/00000000-0000-0000-0000-000000000000", h.operator()).status());
    }

    @Test
    void crossDeviceAndViewerWritesAreRefused() {
        String mine = h.register("cross-a");
        String other = h.register("cross-b");
        String viewer = h.viewer();
        String id = create("cross-a", "reboot", null);

        assertEquals(403, h.api.get("/api/v1/sync/commands/cross-a", other).status(), "poll another's commands");
        assertEquals(404, h.api.get("/api/v1/commands/" + id, other).status(), "read another's command: not revealed");
        assertEquals(403, h.api.get("/api/v1/devices/cross-a/commands", other).status());
        h.api.get("/api/v1/sync/commands/cross-a", mine);
        assertEquals(404, h.api.post("/api/v1/sync/ack/" + id, other, "{\"status\":\"executed\"}").status(),
                "ack another's command: not revealed");
        assertEquals(403, h.api.post("/api/v1/devices/cross-a/commands", viewer, "{\"commandType\":\"x\"}").status());
        assertEquals(403, h.api.post("/api/v1/commands/" + id + "/cancel", viewer, null).status());
        assertEquals(403, h.api.post("/api/v1/devices/cross-a/commands", mine, "{\"commandType\":\"x\"}").status(),
                "a device cannot create commands");
        assertEquals(403, h.api.get("/api/v1/sync/commands/cross-a", h.operator()).status(),
                "operators do not poll for devices");
        assertEquals(200, h.api.get("/api/v1/commands/" + id, viewer).status(), "viewers read");
        assertEquals(200, h.api.get("/api/v1/commands/" + id, mine).status(), "a device reads its own");
        assertEquals("delivered", h.api.get("/api/v1/commands/" + id, h.operator()).text("status"),
                "nothing refused changed anything");
        assertEquals(401, h.api.get("/api/v1/sync/commands/cross-a", null).status());
        assertEquals(401, h.api.get("/api/v1/sync/commands/cross-a", "not-a-token").status());
    }

    private static String create(String deviceId, String type, Long ttl) {
        String body = "{\"commandType\":\"" + type + "\",\"payload\":{\"n\":1}"
                + (ttl == null ? "" : ",\"ttlSeconds\":" + ttl) + "}";
        Api.Response r = h.api.post("/api/v1/devices/" + deviceId + "/commands", h.operator(), body);
        assertEquals(201, r.status(), r.raw());
        assertEquals("pending", r.text("status"));
        return r.text("commandId");
    }

    private static List<String> ids(Api.Response r) {
        JsonNode commands = r.body().path("commands");
        List<String> out = new java.util.ArrayList<>();
        commands.forEach(c -> out.add(c.path("commandId").asText()));
        return out;
    }

    private static double waitingPolls() {
        return waitingPolls(h);
    }

    private static double waitingPolls(Harness harness) {
        return harness.api.get("/metrics", null).raw().lines()
                .filter(l -> l.startsWith("edgesync_dispatcher_long_polls_waiting"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
