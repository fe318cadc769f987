package io.edgesync.shared.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {
    private static final Setting<Integer> PORT = Setting.integer("gateway.port", 7070, 0, 65535, "port");
    private static final Setting<Duration> LINGER = Setting.duration("sink.batch-linger", "100ms", "linger");
    private static final Setting<String> SECRET = Setting.secret("database.jdbc-url", null, "url");

    @Test
    void environmentOverridesFileOverridesDefault(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, "gateway:\n  port: 8000\nsink:\n  batch-linger: 2s\n");
        ConfigSource source = ConfigSource.load(yaml, Map.of("EDGESYNC_GATEWAY_PORT", "9000"));
        assertEquals(9000, source.get(PORT));
        assertEquals(Duration.ofSeconds(2), source.get(LINGER));
        assertEquals(7070, ConfigSource.of(Map.of()).get(PORT));
    }

    @Test
    void invalidValueNamesTheKeyAndTheAcceptedValues() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigSource.of(Map.of("gateway.port", "seventy")).get(PORT));
        assertTrue(e.getMessage().contains("gateway.port"), e.getMessage());
        assertTrue(e.getMessage().contains("an integer from 0 to 65535"), e.getMessage());
    }

    @Test
    void secretValuesAreNeverShownInErrors() {
        Setting<Integer> secretNumber = new Setting<>("x.password", null, "", true, "a number", Integer::parseInt);
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigSource.of(Map.of("x.password", "hunter2")).get(secretNumber));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertEquals(null, ConfigSource.of(Map.of()).get(SECRET));
    }
}
