package io.edgesync.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgesync.shared.auth.RegistryEntry;
import io.edgesync.shared.json.Json;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The gateway keeps a device.registry entry only when it is newer: reordering cannot resurrect a device. */
class DeviceRegistryOrderTest {
    private final DeviceRegistryCache cache = new DeviceRegistryCache(() -> null, Duration.ofSeconds(1));

    @Test
    void olderActiveEntryArrivingAfterARevocationIsIgnored() {
        cache.apply("d", Json.toBytes(new RegistryEntry("d", RegistryEntry.REVOKED, 3, 300)));
        cache.apply("d", Json.toBytes(new RegistryEntry("d", RegistryEntry.ACTIVE, 2, 400)));
        assertEquals(RegistryEntry.REVOKED, cache.entry("d").orElseThrow().status());
        assertEquals(3, cache.entry("d").orElseThrow().tokenVersion());
    }

    @Test
    void sameVersionIsDecidedByTimeAndANewerVersionWins() {
        cache.apply("d", Json.toBytes(new RegistryEntry("d", RegistryEntry.ACTIVE, 1, 200)));
        cache.apply("d", Json.toBytes(new RegistryEntry("d", RegistryEntry.REVOKED, 1, 100)));
        assertEquals(RegistryEntry.ACTIVE, cache.entry("d").orElseThrow().status(), "older time at the same version");
        cache.apply("d", Json.toBytes(new RegistryEntry("d", RegistryEntry.REVOKED, 1, 300)));
        assertEquals(RegistryEntry.REVOKED, cache.entry("d").orElseThrow().status(), "later time at the same version");
        cache.apply("d", Json.toBytes(new RegistryEntry("d", RegistryEntry.ACTIVE, 2, 50)));
        assertEquals(RegistryEntry.ACTIVE, cache.entry("d").orElseThrow().status(), "a newer version, whatever its time");
    }
}
