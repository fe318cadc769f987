package io.edgesync.processor.topology;

import static io.edgesync.processor.topology.TopologyFixture.reading;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.model.DeviceSyncStats;
import io.edgesync.shared.model.TelemetryRecord;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeviceStatsTopologyTest {
    private TopologyFixture t;

    @BeforeEach
    void start() {
        t = new TopologyFixture(Map.of("processor.stats-interval", "10s"));
    }

    @AfterEach
    void stop() {
        t.close();
    }

    @Test
    void totalsPerDeviceArePublishedOnTheInterval() {
        TelemetryRecord v1 = reading("dev-1", "r-1", 1, 5_000, 1.0);
        TelemetryRecord v2 = reading("dev-1", "r-1", 2, 4_000, 2.0);
        t.send(v1);
        t.send(v1);
        t.send(v2);
        t.send(v1.withReceipt(50_000, "late"));
        t.send(reading("dev-1", "r-0", 1, 3_000, 0.0));
        t.send(reading("dev-2", "r-1", 1, 7_000, 3.0));
        assertTrue(t.stats.isEmpty(), "published before the interval");

        t.driver.advanceWallClockTime(Duration.ofSeconds(10));

        Map<String, DeviceSyncStats> published = t.stats.readKeyValuesToMap();
        DeviceSyncStats dev1 = published.get("dev-1");
        long now = TopologyFixture.START.plusSeconds(10).toEpochMilli();
        // accepted: v1, v2, r-0; duplicates: v1 twice (its resend in a later batch hashes the same,
        // and its receipt is the last received time)
        assertEquals(new DeviceSyncStats("dev-1", 3, 2, 0, 5_000, 50_000, now), dev1);
        assertEquals(new DeviceSyncStats("dev-2", 1, 0, 0, 7_000, 7_005, now), published.get("dev-2"));
    }

    @Test
    void totalsNotDeltasAndOnlyChangedDevicesAfterFirstPublish() {
        t.send(reading("dev-1", "r-1", 2, 1_000, 1.0));
        t.send(reading("dev-2", "r-1", 1, 1_000, 1.0));
        t.driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertEquals(2, t.stats.readKeyValuesToList().size());

        t.send(reading("dev-1", "r-1", 1, 1_000, 1.0));
        t.driver.advanceWallClockTime(Duration.ofSeconds(10));

        var next = t.stats.readKeyValuesToList();
        assertEquals(1, next.size(), "only the device that changed is published: " + next);
        KeyValue<String, DeviceSyncStats> dev1 = next.get(0);
        assertEquals("dev-1", dev1.key);
        assertEquals(1, dev1.value.recordsAccepted());
        assertEquals(1, dev1.value.conflicts());
    }
}
