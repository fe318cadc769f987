package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.dispatcher.device.DeviceStore;
import io.edgesync.shared.auth.RegistryEntry;
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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Revocation always wins: a device's own rotation cannot bring back a device revoked meanwhile. */
class RevocationRaceIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
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
    void rotationBlockedOnTheRowLockWhileARevocationCommitsIsRefused() throws Exception {
        // GIVEN a device with a valid token, and a transaction holding its row lock
        String token = h.register("race-1");
        CompletableFuture<Api.Response> rotation;
        try (Connection c = PG.dataSource().getConnection()) {
            c.setAutoCommit(false);
            long version = lockedVersion(c, "race-1");
            // WHEN the device rotates its own token: it is authenticated, then waits for the lock
            rotation = CompletableFuture.supplyAsync(() -> h.api.post("/api/v1/devices/race-1/token", token, null));
            Await.until(WAIT, RevocationRaceIT::waitingOnALock, n -> n >= 1, "the rotation waiting on the row lock");
            // AND a revocation commits first (the statement the dispatcher's revoke runs)
            DeviceStore.revokeToken(c, "race-1", version + 1);
            c.commit();
        }

        // THEN the rotation is refused, and the device stays revoked
        Api.Response r = rotation.get();
        assertEquals(403, r.status(), r.raw());
        assertEquals("token_revoked", r.errorCode());
        assertEquals("revoked", column("race-1", "token_status"));
        assertEquals("token_revoked", h.api.get("/api/v1/sync/commands/race-1", token).errorCode());
        // AND only an operator brings it back, at a newer version than the revocation
        Api.Response renewed = h.api.post("/api/v1/devices/race-1/token", h.operator(), null);
        assertEquals(200, renewed.status(), renewed.raw());
        assertEquals(3, renewed.body().path("tokenVersion").asLong());
    }

    @Test
    void everyRegistryChangeBumpsTheTokenVersionOnTheTopic() throws Exception {
        String token = h.register("bump-1");
        String rotated = h.api.post("/api/v1/devices/bump-1/token", token, null).text("token");
        assertEquals(200, h.api.delete("/api/v1/devices/bump-1/token", h.operator()).status());
        assertEquals(403, h.api.post("/api/v1/devices/bump-1/token", rotated, null).status(), "revoked: no self-rotation");
        assertEquals(200, h.api.post("/api/v1/devices/bump-1/token", h.operator(), null).status());

        List<RegistryEntry> entries = Await.until(WAIT, () -> h.records(Topics.DEVICE_REGISTRY.name(), "bump-1")
                        .stream().map(n -> Json.mapper().convertValue(n, RegistryEntry.class)).toList(),
                l -> l.size() >= 4, "four registry entries of bump-1");
        assertEquals(List.of(1L, 2L, 3L, 4L), entries.stream().map(RegistryEntry::tokenVersion).toList());
        assertEquals(List.of("active", "active", "revoked", "active"),
                entries.stream().map(RegistryEntry::status).toList());
        assertEquals(0L, outboxRows(), "the relay emptied the outbox");
    }

    private static long lockedVersion(Connection c, String deviceId) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT token_version FROM devices WHERE device_id = ? FOR UPDATE")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getLong(1);
            }
        }
    }

    private static long waitingOnALock() throws Exception {
        return count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'");
    }

    private static long outboxRows() throws Exception {
        return count("SELECT count(*) FROM event_outbox");
    }

    private static long count(String sql) throws Exception {
        try (Connection c = PG.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
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
