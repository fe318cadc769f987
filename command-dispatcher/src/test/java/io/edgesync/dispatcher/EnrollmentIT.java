package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scoped enrollment: a fleet key restricted to an id prefix and rate-limited per key, one-time
 * enrollment codes for pre-registered device ids, and every refusal audited.
 */
class EnrollmentIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static Harness h;

    @BeforeAll
    static void start() {
        h = new Harness(KAFKA.bootstrapServers(), PG.jdbcUrl(), Map.of(
                "dispatcher.enrollment-key-id-prefix", "plant7-", "dispatcher.enrollment-key-rate-limit", "1000"));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static String device(String id) {
        return "{\"deviceId\":\"" + id + "\",\"name\":\"pump\",\"deviceType\":\"pump\"}";
    }

    static Api.Response register(Harness on, String secret, String body) {
        return on.api.post("/api/v1/devices/register", secret, body);
    }

    /** The audit log's refused registrations for a subject, newest first. */
    static JsonNode refusals(Harness on, String subject) {
        return on.api.get("/api/v1/audit?kind=device.registration_refused&subject=" + subject, on.operator()).body()
                .path("events");
    }

    @Test
    void aRestrictedKeyIsRefusedOutsideItsScope() {
        // WHEN the fleet key, restricted to plant7-, registers an id inside, an id outside, a node outside, and no id
        Api.Response inside = register(h, h.credentials.enrollmentKey(), device("plant7-pump-1"));
        Api.Response outside = register(h, h.credentials.enrollmentKey(), device("plant9-pump-1"));
        Api.Response node = h.api.post("/api/v1/nodes/register", h.credentials.enrollmentKey(),
                "{\"nodeId\":\"hq-node-1\",\"name\":\"n\"}");
        Api.Response unnamed = register(h, h.credentials.enrollmentKey(), "{\"name\":\"pump\",\"deviceType\":\"pump\"}");

        // THEN only the ids in scope are registered; the others are 403 forbidden naming the field
        assertEquals(201, inside.status(), inside.raw());
        assertEquals(403, outside.status(), outside.raw());
        assertEquals("forbidden", outside.errorCode());
        assertEquals("deviceId", outside.body().path("error").path("details").path("field").asText());
        assertEquals(403, node.status(), node.raw());
        assertEquals(201, unnamed.status(), unnamed.raw());
        assertTrue(unnamed.text("deviceId").startsWith("plant7-"), unnamed.raw());
        assertEquals(404, h.api.get("/api/v1/devices/plant9-pump-1", h.operator()).status(), "nothing registered");
        assertEquals(404, h.api.get("/api/v1/devices/hq-node-1", h.operator()).status(), "nothing registered");
        // AND an operator is not restricted
        assertEquals(201, register(h, h.operator(), device("plant9-pump-2")).status());

        // AND each refusal is audited: who (the fleet key), from where, which id, why
        JsonNode refused = refusals(h, "plant9-pump-1");
        assertEquals(1, refused.size(), refused.toString());
        assertEquals("enrollment_key", refused.get(0).path("actor").path("kind").asText());
        assertEquals("forbidden", refused.get(0).path("error").asText());
        assertEquals("127.0.0.1", refused.get(0).path("remoteAddress").asText());
        assertEquals(1, refusals(h, "hq-node-1").size());
    }

    @Test
    void aUsedCodeIsRefusedTheSecondTime() throws Exception {
        // GIVEN an operator pre-registers hq-7 (outside the fleet key's scope) with a one-time code
        Api.Response created = h.api.post("/api/v1/enrollment-codes", h.operator(), "{\"deviceId\":\"hq-7\"}");
        assertEquals(201, created.status(), created.raw());
        String code = created.text("code");
        assertTrue(code.startsWith("enr_"), created.raw());

        // WHEN the device registers with it, then the code is presented again (for the same id and without one)
        Api.Response first = register(h, code, "{\"name\":\"pump\",\"deviceType\":\"pump\"}");
        Api.Response again = register(h, code, device("hq-7"));
        Api.Response later = register(h, code, "{\"name\":\"pump\",\"deviceType\":\"pump\"}");

        // THEN the first registers hq-7 and the others are 401, audited as refusals by the code
        assertEquals(201, first.status(), first.raw());
        assertEquals("hq-7", first.text("deviceId"));
        assertEquals(200, h.api.get("/api/v1/devices/hq-7", first.text("token")).status());
        assertEquals(401, again.status(), again.raw());
        assertEquals("unauthenticated", again.errorCode());
        assertTrue(again.raw().contains("already used"), again.raw());
        assertEquals(401, later.status(), later.raw());
        JsonNode refused = refusals(h, "hq-7");
        assertEquals(1, refused.size(), refused.toString());
        assertEquals("anonymous", refused.get(0).path("actor").path("kind").asText(), "the code was not accepted");
        assertEquals("unauthenticated", refused.get(0).path("error").asText());
        assertTrue(refusals(h, "unnamed").size() >= 1, "the attempt naming no id is audited too");
        JsonNode codes = h.api.get("/api/v1/enrollment-codes?deviceId=hq-7", h.operator()).body().path("codes");
        assertEquals("used", codes.get(0).path("status").asText(), codes.toString());
        assertEquals("127.0.0.1", codes.get(0).path("usedFrom").asText());
        assertTrue(!codes.toString().contains(code), "the code itself is never listed");
        JsonNode registered = h.api.get("/api/v1/audit?kind=device.registered&device=hq-7", h.operator()).body()
                .path("events").get(0);
        assertEquals("enrollment_code", registered.path("actor").path("kind").asText());
        assertEquals(created.text("codeId"), registered.path("actor").path("credentialId").asText());
    }

    @Test
    void aCodeIsUsedOnceEvenByConcurrentRegistrations() throws Exception {
        String code = h.api.post("/api/v1/enrollment-codes", h.operator(), "{\"deviceId\":\"hq-race\"}").text("code");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<Integer> attempt = () -> register(h, code, device("hq-race")).status();
                answers.add(pool.submit(attempt));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
            assertTrue(statuses.stream().allMatch(s -> s == 201 || s == 401 || s == 409), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCodeWorksOnlyForItsIdReservesItAndEnds() {
        String code = h.api.post("/api/v1/enrollment-codes", h.operator(), "{\"deviceId\":\"plant7-reserved\"}")
                .text("code");
        // a code registers only its own id
        Api.Response other = register(h, code, device("plant7-other"));
        assertEquals(403, other.status(), other.raw());
        assertEquals("forbidden", other.errorCode());
        // the fleet key cannot claim an id an open code reserves, even inside its scope
        Api.Response claimed = register(h, h.credentials.enrollmentKey(), device("plant7-reserved"));
        assertEquals(403, claimed.status(), claimed.raw());
        assertTrue(claimed.raw().contains("reserved"), claimed.raw());
        assertEquals(201, register(h, code, device("plant7-reserved")).status(), "the code still works");

        // a revoked code is refused, and so is an expired one
        Api.Response toRevoke = h.api.post("/api/v1/enrollment-codes", h.operator(), "{\"deviceId\":\"hq-revoked\"}");
        JsonNode revoked = h.api.delete("/api/v1/enrollment-codes/" + toRevoke.text("codeId"), h.operator()).body();
        assertEquals("revoked", revoked.path("status").asText(), revoked.toString());
        assertEquals("token_revoked", register(h, toRevoke.text("code"), device("hq-revoked")).errorCode());
        String shortLived = h.api.post("/api/v1/enrollment-codes", h.operator(),
                "{\"deviceId\":\"hq-expired\",\"ttlSeconds\":60}").text("code");
        h.clock.advance(Duration.ofSeconds(61));
        assertEquals("token_expired", register(h, shortLived, device("hq-expired")).errorCode());
        assertEquals(404, h.api.get("/api/v1/devices/hq-expired", h.operator()).status());

        // refusals of the endpoint itself
        assertEquals(409, h.api.post("/api/v1/enrollment-codes", h.operator(), "{\"deviceId\":\"plant7-reserved\"}")
                .status(), "a registered id gets no code");
        assertEquals("invalid_request", h.api.post("/api/v1/enrollment-codes", h.operator(),
                "{\"deviceId\":\"hq-x\",\"ttlSeconds\":99999999}").errorCode());
        assertEquals("invalid_request", h.api.post("/api/v1/enrollment-codes", h.operator(),
                "{\"deviceId\":\"bad id\"}").errorCode());
        assertEquals(403, h.api.post("/api/v1/enrollment-codes", h.viewer(), "{\"deviceId\":\"hq-v\"}").status());
        assertEquals(403, h.api.post("/api/v1/enrollment-codes", h.credentials.enrollmentKey(),
                "{\"deviceId\":\"hq-k\"}").status());
        assertEquals("unauthenticated", register(h, "enr_not-a-code", device("hq-7b")).errorCode());
        assertEquals(404, h.api.delete("/api/v1/enrollment-codes/" + java.util.UUID.randomUUID(), h.operator())
                .status());
        JsonNode audit = h.api.get("/api/v1/audit?kind=enrollment_code.created&device=hq-revoked", h.operator())
                .body().path("events");
        assertEquals(1, audit.size(), audit.toString());
        assertEquals(1, h.api.get("/api/v1/audit?kind=enrollment_code.revoked&device=hq-revoked", h.operator())
                .body().path("events").size());
    }

    @Test
    void theFleetKeyIsRateLimitedWith429AndRetryAfter() {
        try (Harness limited = new Harness(KAFKA.bootstrapServers(), PG.jdbcUrl(),
                Map.of("dispatcher.enrollment-key-rate-limit", "3"))) {
            // WHEN the fleet key registers four devices within a minute
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                statuses.add(register(limited, limited.credentials.enrollmentKey(), device("rl-" + i)).status());
            }
            Api.Response fourth = register(limited, limited.credentials.enrollmentKey(), device("rl-3"));

            // THEN the fourth is 429 rate_limited with Retry-After, audited, and nothing is registered
            assertEquals(List.of(201, 201, 201), statuses);
            assertEquals(429, fourth.status(), fourth.raw());
            assertEquals("rate_limited", fourth.errorCode());
            assertNotNull(fourth.header("Retry-After"), "Retry-After");
            long retryAfter = Long.parseLong(fourth.header("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
            assertEquals(404, limited.api.get("/api/v1/devices/rl-3", limited.operator()).status());
            assertEquals("rate_limited", refusals(limited, "rl-3").get(0).path("error").asText());
            // AND operators are not limited by the fleet key's budget
            assertEquals(201, register(limited, limited.operator(), device("rl-op")).status());
            // AND a minute later the key may register again
            limited.clock.advance(Duration.ofSeconds(61));
            assertEquals(201, register(limited, limited.credentials.enrollmentKey(), device("rl-3")).status());
        }
    }
}
