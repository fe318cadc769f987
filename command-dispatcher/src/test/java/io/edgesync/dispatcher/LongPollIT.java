package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Long-poll at fleet scale against a real broker and PostgreSQL: the per-device cap (429 with
 * Retry-After in the error shape), a second instance woken through {@code command.events}, and a
 * device that asks for another device's command learning nothing and changing nothing.
 */
class LongPollIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static Harness h;

    @BeforeAll
    static void start() {
        h = new Harness(KAFKA.bootstrapServers(), PG.jdbcUrl(), Map.of("dispatcher.max-polls-per-device", "2",
                "dispatcher.expiry-sweep-interval", "1h"));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void aPollBeyondTheDevicesCapIs429WithRetryAfterAndTheHeldPollsStillAnswer() throws Exception {
        String token = h.register("cap-1");
        String other = h.register("cap-2");
        CompletableFuture<Api.Response> first = poll(h, "cap-1", token, 30);
        CompletableFuture<Api.Response> second = poll(h, "cap-1", token, 30);
        CompletableFuture<Api.Response> unrelated = poll(h, "cap-2", other, 30);
        Await.until(Duration.ofSeconds(30), () -> waiting(h), n -> n >= 3, "three waiting long-polls");

        Api.Response third = h.api.get("/api/v1/sync/commands/cap-1?wait=30", token);

        assertEquals(429, third.status(), third.raw());
        assertEquals("rate_limited", third.errorCode());
        assertEquals(2, third.body().path("error").path("details").path("maxPollsPerDevice").asInt(), third.raw());
        assertTrue(third.body().path("error").path("retryable").asBoolean(), third.raw());
        assertEquals("1", third.header("Retry-After"));
        assertTrue(third.millis() < 5_000, "refused at once, not held: " + third.millis() + " ms");
        assertFalse(unrelated.isDone(), "another device's poll is unaffected");
        assertTrue(metric(h, "edgesync_dispatcher_long_polls_refused_total") >= 1);

        String id = create("cap-1");
        Api.Response answered = CompletableFuture.anyOf(first, second).thenApply(Api.Response.class::cast)
                .get(30, TimeUnit.SECONDS);
        assertEquals(200, answered.status(), answered.raw());
        assertEquals(id, answered.body().path("commands").get(0).path("commandId").asText());
        Api.Response again = h.api.get("/api/v1/sync/commands/cap-1?wait=0", token);
        assertEquals(200, again.status(), "a freed slot takes a new poll: " + again.raw());
        create("cap-2");
        assertEquals(200, unrelated.get(30, TimeUnit.SECONDS).status());
        create("cap-1");
        CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aPollOnAnotherInstanceIsWokenByCommandEventsLongBeforeItsDeadline() throws Exception {
        String token = h.register("wake-1");
        try (Harness other = new Harness(h, Map.of("dispatcher.expiry-sweep-interval", "1h"))) {
            CompletableFuture<Api.Response> poll = poll(other, "wake-1", token, 60);
            Await.until(Duration.ofSeconds(30), () -> waiting(other), n -> n >= 1, "a waiting long-poll");
            long created = System.nanoTime();

            String id = create("wake-1");

            Api.Response r = poll.get(30, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - created) / 1_000_000;
            assertEquals(id, r.body().path("commands").get(0).path("commandId").asText(), r.raw());
            assertTrue(millis < 5_000, "woken " + millis + " ms after the command was created on the first "
                    + "instance (without the command.events wake-up it would wait 60 s)");
        }
    }

    @Test
    void aDeviceReadingAnotherDevicesCommandGets404AndNothingExpires() throws Exception {
        h.register("owner-1");
        String intruder = h.register("intruder-1");
        String id = create("owner-1", 60L);
        h.clock.advance(Duration.ofSeconds(61));

        Api.Response theirs = h.api.get("/api/v1/commands/" + id, intruder);
        Api.Response none = h.api.get("/api/v1/commands/" + UUID.randomUUID(), intruder);
        Api.Response ack = h.api.post("/api/v1/sync/ack/" + id, intruder, "{\"status\":\"executed\"}");

        assertEquals(404, theirs.status(), theirs.raw());
        assertEquals("not_found", theirs.errorCode());
        assertEquals(none.status(), theirs.status(), "the same answer as for a command that does not exist");
        assertEquals(none.errorCode(), theirs.errorCode());
        assertEquals(404, ack.status(), "acknowledging another device's command: " + ack.raw());
        assertEquals("pending", statusInDatabase(id), "past its TTL but not expired by the refused request");
        assertEquals(List.of("pending"), h.records(Topics.COMMAND_EVENTS.name(), "owner-1").stream()
                .map(e -> e.path("status").asText()).toList(), "no event for a refused request");

        assertEquals("expired", h.api.get("/api/v1/commands/" + id, h.operator()).text("status"),
                "the operator's read does expire it");
        assertEquals("expired", statusInDatabase(id));
    }

    private static CompletableFuture<Api.Response> poll(Harness on, String deviceId, String token, int wait) {
        return CompletableFuture.supplyAsync(() -> on.api.get("/api/v1/sync/commands/" + deviceId + "?wait=" + wait,
                token));
    }

    private static String create(String deviceId) {
        return create(deviceId, null);
    }

    private static String create(String deviceId, Long ttl) {
        Api.Response r = h.api.post("/api/v1/devices/" + deviceId + "/commands", h.operator(),
                "{\"commandType\":\"reboot\"" + (ttl == null ? "" : ",\"ttlSeconds\":" + ttl) + "}");
        assertEquals(201, r.status(), r.raw());
        return r.text("commandId");
    }

    private static String statusInDatabase(String commandId) throws Exception {
        try (Connection c = PG.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT status FROM commands WHERE command_id = ?")) {
            ps.setObject(1, UUID.fromString(commandId));
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no row for " + commandId);
                return rs.getString(1);
            }
        }
    }

    private static double waiting(Harness on) {
        return metric(on, "edgesync_dispatcher_long_polls_waiting");
    }

    private static double metric(Harness on, String name) {
        return on.api.get("/metrics", null).raw().lines().filter(l -> l.startsWith(name))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
