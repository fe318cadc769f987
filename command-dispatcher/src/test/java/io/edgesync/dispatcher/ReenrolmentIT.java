package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.edgesync.shared.auth.RegistryEntry;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A device whose token expired re-enrols with previousToken; a revoked one or an impostor cannot. */
class ReenrolmentIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static Harness h;

    @BeforeAll
    static void start() {
        h = new Harness(KAFKA.bootstrapServers(), PG.jdbcUrl(), Map.of("dispatcher.device-token-ttl", "1h"));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void anExpiredCurrentTokenReenrolsWithANewTokenPublishedToTheRegistry() {
        String old = h.register("re-1");
        h.clock.advance(Duration.ofHours(2));
        assertEquals("token_expired", h.api.get("/api/v1/devices/re-1", old).errorCode(), "the old token expired");

        Api.Response r = reregister("re-1", old);

        assertEquals(201, r.status(), r.raw());
        assertEquals("re-1", r.text("deviceId"));
        String fresh = r.text("token");
        assertNotEquals(old, fresh);
        assertEquals(h.clock.instant().plus(Duration.ofHours(1)).toString(), r.text("expiresAt"));
        assertEquals(200, h.api.get("/api/v1/devices/re-1", fresh).status(), "the new token works");
        List<RegistryEntry> entries = Await.until(Duration.ofSeconds(60), () -> registry("re-1"),
                l -> l.size() >= 2, "registry entries of re-1");
        RegistryEntry last = entries.get(entries.size() - 1);
        assertEquals(RegistryEntry.ACTIVE, last.status());
        assertEquals(2, last.tokenVersion(), "a new version, as rotation issues");
        assertEquals(409, reregister("re-1", old).status(), "the replaced token cannot re-enrol again");
    }

    @Test
    void aRevokedDeviceCannotReenrolItself() {
        String token = h.register("re-2");
        assertEquals(200, h.api.delete("/api/v1/devices/re-2/token", h.operator()).status());

        Api.Response r = reregister("re-2", token);

        assertEquals(403, r.status(), r.raw());
        assertEquals("token_revoked", r.errorCode());
        assertEquals(true, r.raw().contains("an operator must issue a new token"), r.raw());
    }

    @Test
    void anotherDevicesTokenOrNoTokenIsAConflict() {
        h.register("re-3");
        String other = h.register("re-4");

        assertEquals(409, reregister("re-3", other).status(), "re-4's token does not prove re-3");
        assertEquals("conflict", reregister("re-3", other).errorCode());
        assertEquals(409, h.api.post("/api/v1/devices/register", h.credentials.enrollmentKey(),
                "{\"deviceId\":\"re-3\",\"name\":\"n\",\"deviceType\":\"pump\"}").status(), "no previousToken");
        assertEquals(409, reregister("re-3", "not-a-jwt").status(), "garbage previousToken");
        assertEquals(200, h.api.get("/api/v1/devices/re-4", other).status(), "re-4 keeps its token");
    }

    private static Api.Response reregister(String deviceId, String previousToken) {
        return h.api.post("/api/v1/devices/register", h.credentials.enrollmentKey(), "{\"deviceId\":\"" + deviceId
                + "\",\"name\":\"n\",\"deviceType\":\"pump\",\"previousToken\":\"" + previousToken + "\"}");
    }

    private static List<RegistryEntry> registry(String deviceId) {
        return h.records(Topics.DEVICE_REGISTRY.name(), deviceId).stream()
                .map(n -> Json.mapper().convertValue(n, RegistryEntry.class)).toList();
    }
}
