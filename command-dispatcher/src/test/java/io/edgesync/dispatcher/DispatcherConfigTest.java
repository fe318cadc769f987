package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.config.ConfigException;
import io.edgesync.shared.config.ConfigSource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatcherConfigTest {
    @Test
    void signingKeyIsRequiredAndTheErrorNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> DispatcherConfig.from(ConfigSource.of(Map.of())));
        assertTrue(e.getMessage().contains("dispatcher.signing-key-file"), e.getMessage());
    }

    @Test
    void offlineAfterIsIntervalsTimesTheHeartbeatInterval() {
        DispatcherConfig c = DispatcherConfig.from(ConfigSource.of(Map.of("dispatcher.signing-key-file", "k.jwk",
                "dispatcher.heartbeat-interval", "10s", "dispatcher.offline-after-intervals", "4")));
        assertEquals(Duration.ofSeconds(40), c.offlineAfter());
        assertEquals(Duration.ofSeconds(60), c.visibilityTimeout());
    }

    @Test
    void zeroDurationsAreRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> DispatcherConfig.from(ConfigSource.of(Map.of(
                "dispatcher.signing-key-file", "k.jwk", "dispatcher.visibility-timeout", "0s"))));
        assertTrue(e.getMessage().contains("dispatcher.visibility-timeout"), e.getMessage());
    }

    @Test
    void anEnrollmentKeyPrefixThatNoDeviceIdCouldHaveIsRefusedNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> DispatcherConfig.from(ConfigSource.of(Map.of(
                "dispatcher.signing-key-file", "k.jwk", "dispatcher.enrollment-key-id-prefix", "plant 7/"))));
        assertTrue(e.getMessage().contains("dispatcher.enrollment-key-id-prefix"), e.getMessage());
        assertEquals("plant7-", DispatcherConfig.from(ConfigSource.of(Map.of("dispatcher.signing-key-file", "k.jwk",
                "dispatcher.enrollment-key-id-prefix", "plant7-"))).enrollment().keyIdPrefix());
    }
}
