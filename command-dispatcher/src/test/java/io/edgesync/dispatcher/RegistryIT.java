package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.auth.TokenHash;
import io.edgesync.shared.auth.RegistryEntry;
import io.edgesync.shared.auth.TokenKind;
import io.edgesync.shared.auth.Tokens;
import io.edgesync.shared.json.Json;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Registration, tokens, rotation and revocation on device.registry, heartbeats, listing, sync status. */
class RegistryIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static Harness h;

    @BeforeAll
    static void start() {
        h = new Harness(KAFKA.bootstrapServers(), PG.jdbcUrl(), Map.of(
                "dispatcher.heartbeat-interval", "10s", "dispatcher.offline-after-intervals", "3"));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void enrollmentKeyRegistersADeviceWithASignedTokenWhoseHashAloneIsStored() throws Exception {
        Api.Response r = h.api.post("/api/v1/devices/register", h.credentials.enrollmentKey(),
                "{\"deviceId\":\"reg-1\",\"name\":\"Pump 1\",\"deviceType\":\"pump\",\"location\":\"hall\","
                        + "\"metadata\":{\"fw\":\"2\"}}");

        assertEquals(201, r.status(), r.raw());
        assertEquals("reg-1", r.text("deviceId"));
        String token = r.text("token");
        Tokens.Verifier verifier = new Tokens.Verifier(Tokens.readKey(h.credentials.publicKeyFile()), h.clock);
        assertEquals("reg-1", verifier.verify(token, TokenKind.DEVICE).subject(), "verifiable with the public key");
        assertEquals(TokenHash.of(token), column("reg-1", "token_hash"));
        assertFalse(column("reg-1", "token_hash").contains(token.substring(0, 20)));
        JsonNode device = h.api.get("/api/v1/devices/reg-1", h.operator()).body();
        assertEquals("registered", device.path("status").asText());
        assertEquals("hall", device.path("location").asText());
        assertEquals("2", device.path("metadata").path("fw").asText());
        RegistryEntry entry = registry("reg-1").get(0);
        assertEquals(RegistryEntry.ACTIVE, entry.status());
        assertEquals(1, entry.tokenVersion());
    }

    @Test
    void operatorRegistersWithAGeneratedIdAndBadRequestsAreRefused() {
        Api.Response r = h.api.post("/api/v1/devices/register", h.operator(), "{\"name\":\"n\",\"deviceType\":\"t\"}");
        assertEquals(201, r.status(), r.raw());
        assertTrue(r.text("deviceId").startsWith("dev-"));

        assertEquals(401, h.api.post("/api/v1/devices/register", null, "{\"name\":\"n\",\"deviceType\":\"t\"}").status());
        assertEquals("unauthenticated", h.api.post("/api/v1/devices/register", "wrong-key",
                "{\"name\":\"n\",\"deviceType\":\"t\"}").errorCode());
        assertEquals(403, h.api.post("/api/v1/devices/register", h.viewer(), "{\"name\":\"n\",\"deviceType\":\"t\"}")
                .status(), "viewers cannot register");
        assertEquals("invalid_request", h.api.post("/api/v1/devices/register", h.operator(), "{\"name\":\"n\"}")
                .errorCode());
        assertEquals("invalid_request", h.api.post("/api/v1/devices/register", h.operator(),
                "{\"deviceId\":\"a b\",\"name\":\"n\",\"deviceType\":\"t\"}").errorCode());
        assertEquals("malformed_body", h.api.post("/api/v1/devices/register", h.operator(), "{").errorCode());
        h.register("dup-1");
        Api.Response dup = h.api.post("/api/v1/devices/register", h.operator(),
                "{\"deviceId\":\"dup-1\",\"name\":\"n\",\"deviceType\":\"t\"}");
        assertEquals(409, dup.status(), dup.raw());
    }

    @Test
    void rotationReplacesTheTokenAndIsPublished() throws Exception {
        String old = h.register("rot-1");
        Api.Response rotated = h.api.post("/api/v1/devices/rot-1/token", h.operator(), null);
        assertEquals(200, rotated.status(), rotated.raw());
        String fresh = rotated.text("token");

        Api.Response withOld = h.api.get("/api/v1/devices/rot-1", old);
        assertEquals(403, withOld.status());
        assertEquals("token_revoked", withOld.errorCode());
        assertEquals(200, h.api.get("/api/v1/devices/rot-1", fresh).status());
        assertEquals(200, h.api.post("/api/v1/devices/rot-1/token", fresh, null).status(), "a device rotates its own");
        List<RegistryEntry> entries = registry("rot-1");
        assertEquals(List.of(1L, 2L, 3L), entries.stream().map(RegistryEntry::tokenVersion).toList());
        assertTrue(entries.stream().allMatch(e -> e.status().equals(RegistryEntry.ACTIVE)));
    }

    @Test
    void revocationRefusesEveryTokenAndIsPublished() throws Exception {
        String token = h.register("rev-1");
        String other = h.register("rev-2");
        assertEquals(403, h.api.delete("/api/v1/devices/rev-1/token", other).status(), "devices cannot revoke");
        assertEquals(403, h.api.delete("/api/v1/devices/rev-1/token", h.viewer()).status(), "viewers cannot revoke");

        Api.Response revoked = h.api.delete("/api/v1/devices/rev-1/token", h.operator());

        assertEquals(200, revoked.status(), revoked.raw());
        assertEquals("token_revoked", h.api.get("/api/v1/sync/commands/rev-1", token).errorCode());
        RegistryEntry last = registry("rev-1").get(registry("rev-1").size() - 1);
        assertEquals(RegistryEntry.REVOKED, last.status());
        assertFalse(last.permits(new Tokens.Verifier(Tokens.readKey(h.credentials.publicKeyFile()), h.clock)
                .verify(token, TokenKind.DEVICE)), "the gateway's rule refuses the revoked token");
        assertNull(column("rev-1", "token_hash"));
        String renewed = h.api.post("/api/v1/devices/rev-1/token", h.operator(), null).text("token");
        assertEquals(200, h.api.get("/api/v1/sync/commands/rev-1", renewed).status(), "rotation re-admits");
        assertEquals(404, h.api.delete("/api/v1/devices/nobody/token", h.operator()).status());
    }

    @Test
    void heartbeatRecordsLastSeenReportedStateAndClockSkew() {
        String token = h.register("hb-1");
        long deviceTime = h.clock.millis() + 4_000;

        Api.Response r = h.api.post("/api/v1/devices/hb-1/heartbeat", token, "{\"pendingRecords\":12,"
                + "\"agentVersion\":\"1.2.0\",\"configVersion\":3,\"deviceTime\":" + deviceTime + "}");

        assertEquals(200, r.status(), r.raw());
        JsonNode d = h.api.get("/api/v1/devices/hb-1", h.operator()).body();
        assertEquals("online", d.path("status").asText());
        assertEquals(h.clock.instant().toString(), d.path("lastSeenAt").asText());
        assertEquals(4000, d.path("clockSkewMs").asLong());
        assertEquals("1.2.0", d.path("agentVersion").asText());
        assertEquals(3, d.path("reportedConfigVersion").asLong());
        assertEquals(12, d.path("pendingRecords").asLong());
        assertEquals("invalid_request", h.api.post("/api/v1/devices/hb-1/heartbeat", token,
                "{\"pendingRecords\":-1}").errorCode());
        assertEquals("invalid_request", h.api.post("/api/v1/devices/hb-1/heartbeat", token,
                "{\"deviceTime\":\"yesterday\"}").errorCode());
        assertEquals(403, h.api.post("/api/v1/devices/hb-1/heartbeat", h.operator(), "{}").status());
    }

    @Test
    void deviceWithoutHeartbeatForTheConfiguredIntervalsShowsOffline() {
        String token = h.register("off-1");
        h.api.post("/api/v1/devices/off-1/heartbeat", token, "{}");
        h.clock.advance(Duration.ofSeconds(29));
        assertEquals("online", h.api.get("/api/v1/devices/off-1", h.operator()).text("status"));

        h.clock.advance(Duration.ofSeconds(2));

        assertEquals("offline", h.api.get("/api/v1/devices/off-1", h.operator()).text("status"));
        assertTrue(ids(h.api.get("/api/v1/devices?status=offline&limit=1000", h.operator())).contains("off-1"));
        assertFalse(ids(h.api.get("/api/v1/devices?status=online&limit=1000", h.operator())).contains("off-1"));
    }

    @Test
    void listPagesInDeviceIdOrderAndViewersMayRead() {
        for (String id : List.of("page-a", "page-b", "page-c")) {
            h.register(id);
        }
        String viewer = h.viewer();
        Api.Response first = h.api.get("/api/v1/devices?status=registered&limit=2&after=page-", viewer);
        assertEquals(200, first.status(), first.raw());
        assertEquals(List.of("page-a", "page-b"), ids(first));
        Api.Response second = h.api.get("/api/v1/devices?status=registered&limit=2&after="
                + first.text("nextAfter"), viewer);
        assertEquals("page-c", ids(second).get(0));
        assertEquals("invalid_request", h.api.get("/api/v1/devices?status=lost", viewer).errorCode());
        assertEquals("invalid_request", h.api.get("/api/v1/devices?limit=0", viewer).errorCode());
        assertEquals(403, h.api.get("/api/v1/devices", h.register("page-d")).status(), "devices do not list");
    }

    @Test
    void deviceReadsOnlyItself() {
        String a = h.register("self-a");
        h.register("self-b");
        assertEquals(200, h.api.get("/api/v1/devices/self-a", a).status());
        assertEquals(403, h.api.get("/api/v1/devices/self-b", a).status());
        assertEquals(403, h.api.get("/api/v1/sync/status/self-b", a).status());
        assertEquals(403, h.api.post("/api/v1/devices/self-b/heartbeat", a, "{}").status());
        assertEquals(404, h.api.get("/api/v1/devices/nobody", h.operator()).status());
    }

    @Test
    void syncStatusCombinesHeartbeatAndSinkFigures() throws Exception {
        String token = h.register("st-1");
        try (Connection c = PG.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO sync_status (device_id, last_sync_at, last_sync_status, pending_records_count, "
                        + "total_synced_records, last_error) VALUES ('st-1', '2026-01-01T00:00:00Z', 'ok', 5, 420, "
                        + "'none')")) {
            ps.executeUpdate();
        }
        JsonNode before = h.api.get("/api/v1/sync/status/st-1", token).body();
        assertEquals("registered", before.path("status").asText());
        assertEquals(5, before.path("pendingRecordsCount").asLong());
        assertEquals(420, before.path("totalSyncedRecords").asLong());
        assertEquals("ok", before.path("lastSyncStatus").asText());
        assertEquals("2026-01-01T00:00:00Z", before.path("lastSyncAt").asText());

        h.api.post("/api/v1/devices/st-1/heartbeat", token, "{\"pendingRecords\":2}");
        JsonNode after = h.api.get("/api/v1/sync/status/st-1", h.viewer()).body();

        assertEquals("online", after.path("status").asText());
        assertEquals(2, after.path("pendingRecordsCount").asLong(), "the device's own report wins");
        assertNotEquals("null", after.path("lastSeenAt").asText());
        assertEquals(404, h.api.get("/api/v1/sync/status/nobody", h.operator()).status());

        // the device's reported outcome replaces the stored one, with its error; ok clears the error
        h.clock.advance(Duration.ofSeconds(1));
        h.api.post("/api/v1/devices/st-1/heartbeat", token, "{\"pendingRecords\":7,\"lastSyncStatus\":\"failed\","
                + "\"lastError\":\"connect timed out\"}");
        JsonNode failed = h.api.get("/api/v1/sync/status/st-1", token).body();
        assertEquals("failed", failed.path("lastSyncStatus").asText());
        assertEquals("connect timed out", failed.path("lastError").asText());
        assertEquals(7, failed.path("pendingRecordsCount").asLong());
        h.clock.advance(Duration.ofSeconds(1));
        h.api.post("/api/v1/devices/st-1/heartbeat", token, "{\"pendingRecords\":0,\"lastSyncStatus\":\"ok\"}");
        JsonNode ok = h.api.get("/api/v1/sync/status/st-1", token).body();
        assertEquals("ok", ok.path("lastSyncStatus").asText());
        assertTrue(ok.path("lastError").isNull(), ok.toString());
        assertEquals(0, ok.path("pendingRecordsCount").asLong());
        assertEquals(420, ok.path("totalSyncedRecords").asLong(), "the sink's figures are left alone");
        assertEquals("invalid_request", h.api.post("/api/v1/devices/st-1/heartbeat", token,
                "{\"lastSyncStatus\":\"great\"}").errorCode());
    }

    @Test
    void operatorTokensCarryARoleAndExpire() {
        assertEquals("invalid_request", h.api.post("/api/v1/operator-tokens", h.operator(),
                "{\"name\":\"x\",\"role\":\"admin\"}").errorCode());
        assertEquals(403, h.api.post("/api/v1/operator-tokens", h.viewer(),
                "{\"name\":\"x\",\"role\":\"operator\"}").status(), "a viewer cannot mint tokens");
        Api.Response op = h.api.post("/api/v1/operator-tokens", h.operator(),
                "{\"name\":\"bob\",\"role\":\"operator\",\"ttlSeconds\":60}");
        assertEquals(201, op.status(), op.raw());
        assertEquals(201, h.api.post("/api/v1/devices/register", op.text("token"),
                "{\"name\":\"n\",\"deviceType\":\"t\"}").status());

        h.clock.advance(Duration.ofSeconds(61));

        assertEquals("token_expired", h.api.get("/api/v1/devices", op.text("token")).errorCode());
    }

    @Test
    void healthReadinessAndMetricsAreServed() {
        assertEquals(200, h.api.get("/health/live", null).status());
        assertEquals("UP", h.api.get("/health/ready", null).text("status"));
        assertTrue(h.api.get("/metrics", null).raw().contains("edgesync_dispatcher_long_polls_waiting"));
        assertEquals("not_found", h.api.get("/api/v1/nothing", h.operator()).errorCode());
    }

    private static List<String> ids(Api.Response r) {
        List<String> out = new java.util.ArrayList<>();
        r.body().path("devices").forEach(d -> out.add(d.path("deviceId").asText()));
        return out;
    }

    private static List<RegistryEntry> registry(String deviceId) {
        return Await.until(Duration.ofSeconds(30), () -> h.records(Topics.DEVICE_REGISTRY.name(), deviceId).stream()
                .map(n -> Json.mapper().convertValue(n, RegistryEntry.class)).toList(), l -> !l.isEmpty(),
                "registry entries of " + deviceId);
    }

    private static String column(String deviceId, String column) throws Exception {
        try (Connection c = PG.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM devices WHERE device_id = ?")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
