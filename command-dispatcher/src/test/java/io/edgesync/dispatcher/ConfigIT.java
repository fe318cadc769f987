package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Desired configuration: versions, changes since a version, desired next to reported. */
class ConfigIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension(1);
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

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
    void eachChangeIncrementsTheVersionAndSinceReturnsOnlyLaterChanges() {
        String token = h.register("cfg-1");
        assertEquals(1, put("cfg-1", "sample-rate", "10").path("version").asLong());
        assertEquals(2, put("cfg-1", "mode", "\"eco\"").path("version").asLong());
        assertEquals(3, put("cfg-1", "sample-rate", "20").path("version").asLong());

        JsonNode all = h.api.get("/api/v1/sync/config/cfg-1", token).body();
        JsonNode since2 = h.api.get("/api/v1/sync/config/cfg-1?since=2", token).body();

        assertEquals(3, all.path("version").asLong());
        assertEquals(List.of("mode", "sample-rate"), keys(all));
        assertEquals(20, all.path("changes").get(1).path("value").asInt(), "the latest value");
        assertEquals(List.of("sample-rate"), keys(since2));
        assertEquals(List.of(), keys(h.api.get("/api/v1/sync/config/cfg-1?since=3", token).body()));
    }

    @Test
    void desiredIsShownNextToReported() {
        String token = h.register("cfg-2");
        put("cfg-2", "a", "1");
        put("cfg-2", "b", "{\"x\":true}");
        JsonNode before = h.api.get("/api/v1/devices/cfg-2/config", h.operator()).body();
        assertEquals(2, before.path("desiredVersion").asLong());
        assertTrue(before.path("reportedVersion").isNull());
        assertFalse(before.path("inSync").asBoolean());

        h.api.post("/api/v1/devices/cfg-2/heartbeat", token, "{\"configVersion\":1}");
        JsonNode partly = h.api.get("/api/v1/devices/cfg-2/config", token).body();
        assertEquals(1, partly.path("reportedVersion").asLong());
        assertTrue(partly.path("entries").get(0).path("applied").asBoolean());
        assertFalse(partly.path("entries").get(1).path("applied").asBoolean());

        h.api.post("/api/v1/devices/cfg-2/heartbeat", token, "{\"configVersion\":2}");
        assertTrue(h.api.get("/api/v1/devices/cfg-2/config", h.viewer()).body().path("inSync").asBoolean());
    }

    @Test
    void writesNeedAnOperatorAndDevicesReadOnlyTheirOwn() {
        String a = h.register("cfg-3");
        String b = h.register("cfg-4");
        assertEquals(403, h.api.put("/api/v1/devices/cfg-3/config/k", h.viewer(), "{\"value\":1}").status());
        assertEquals(403, h.api.put("/api/v1/devices/cfg-3/config/k", a, "{\"value\":1}").status());
        assertEquals(403, h.api.get("/api/v1/sync/config/cfg-3", b).status());
        assertEquals(403, h.api.get("/api/v1/devices/cfg-3/config", b).status());
        assertEquals(200, h.api.get("/api/v1/sync/config/cfg-3", a).status());
        assertEquals(0, h.api.get("/api/v1/devices/cfg-3/config", h.operator()).body().path("desiredVersion").asLong(),
                "refused writes changed nothing");
    }

    @Test
    void badConfigRequestsAreRefusedClearly() {
        h.register("cfg-5");
        assertEquals("invalid_request", h.api.put("/api/v1/devices/cfg-5/config/k", h.operator(), "{}").errorCode());
        assertEquals("invalid_request", h.api.put("/api/v1/devices/cfg-5/config/a%20b", h.operator(),
                "{\"value\":1}").errorCode());
        assertEquals("malformed_body", h.api.put("/api/v1/devices/cfg-5/config/k", h.operator(), "nope").errorCode());
        assertEquals(404, h.api.put("/api/v1/devices/nobody/config/k", h.operator(), "{\"value\":1}").status());
        assertEquals(404, h.api.get("/api/v1/sync/config/nobody", h.operator()).status());
        assertEquals("invalid_request", h.api.get("/api/v1/sync/config/cfg-5?since=-1", h.operator()).errorCode());
    }

    private static JsonNode put(String device, String key, String valueJson) {
        Api.Response r = h.api.put("/api/v1/devices/" + device + "/config/" + key, h.operator(),
                "{\"value\":" + valueJson + "}");
        assertEquals(200, r.status(), r.raw());
        return r.body();
    }

    private static List<String> keys(JsonNode changes) {
        List<String> out = new ArrayList<>();
        changes.path("changes").forEach(c -> out.add(c.path("key").asText()));
        return out;
    }
}
