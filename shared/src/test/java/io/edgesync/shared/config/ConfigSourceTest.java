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

    @Test
    void aSettingIsReadFromTheFileNamedByItsFileVariable(@TempDir Path dir) throws Exception {
        // GIVEN a secret in a file, as Docker and Kubernetes mount them
        Path secret = dir.resolve("jdbc-url");
        Files.writeString(secret, "jdbc:postgresql://db:26257/edgesync?password=s3cret\n");
        // WHEN only EDGESYNC_..._FILE names it
        ConfigSource source = ConfigSource.load(null, Map.of("EDGESYNC_DATABASE_JDBC_URL_FILE", secret.toString()));
        // THEN the value is the file's content without the trailing line break, above the YAML file's value
        assertEquals("jdbc:postgresql://db:26257/edgesync?password=s3cret", source.get(SECRET));
        Path port = dir.resolve("port");
        Files.writeString(port, "9100");
        ConfigSource withFile = ConfigSource.load(null, Map.of("gateway.port", "8000"),
                Map.of("EDGESYNC_GATEWAY_PORT_FILE", port.toString()));
        assertEquals(9100, withFile.get(PORT));
    }

    @Test
    void bothTheVariableAndItsFileFormSetIsAnError(@TempDir Path dir) throws Exception {
        Path port = dir.resolve("port");
        Files.writeString(port, "9100");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigSource.load(null,
                Map.of("EDGESYNC_GATEWAY_PORT", "9000", "EDGESYNC_GATEWAY_PORT_FILE", port.toString())).get(PORT));
        assertTrue(e.getMessage().contains("EDGESYNC_GATEWAY_PORT_FILE"), e.getMessage());
    }

    @Test
    void aMissingValueFileNamesTheVariableButNotTheContent(@TempDir Path dir) throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigSource.load(null,
                Map.of("EDGESYNC_DATABASE_JDBC_URL_FILE", dir.resolve("absent").toString())).get(SECRET));
        assertTrue(e.getMessage().contains("EDGESYNC_DATABASE_JDBC_URL_FILE"), e.getMessage());
        assertTrue(e.getMessage().contains("database.jdbc-url"), e.getMessage());
        Path bad = dir.resolve("bad");
        Files.writeString(bad, "hunter2");
        Setting<Integer> secretNumber = new Setting<>("x.password", null, "", true, "a number", Integer::parseInt);
        ConfigException invalid = assertThrows(ConfigException.class, () -> ConfigSource.load(null,
                Map.of("EDGESYNC_X_PASSWORD_FILE", bad.toString())).get(secretNumber));
        assertFalse(invalid.getMessage().contains("hunter2"), invalid.getMessage());
        assertTrue(invalid.getMessage().contains("EDGESYNC_X_PASSWORD_FILE"), invalid.getMessage());
    }
}
