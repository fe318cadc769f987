package io.edgesync.shared.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.config.ConfigException;
import io.edgesync.shared.config.ConfigSource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseTimeoutsTest {
    @Test
    void defaultsBoundStatementsAndSilence() {
        DatabaseTimeouts t = DatabaseTimeouts.from(ConfigSource.of(Map.of()));
        assertEquals(DatabaseTimeouts.DEFAULT, t);
        assertEquals(Duration.ofSeconds(10), t.statementTimeout());
        assertEquals(15, t.socketTimeoutSeconds());
    }

    @Test
    void socketTimeoutNotAboveTheStatementTimeoutIsRefusedNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> DatabaseTimeouts.from(ConfigSource.of(Map.of(
                "database.statement-timeout", "20s", "database.socket-timeout", "20s"))));
        assertTrue(e.getMessage().contains("database.socket-timeout"), e.getMessage());
    }

    @Test
    void socketTimeoutIsRoundedUpToWholeSeconds() {
        assertEquals(2, new DatabaseTimeouts(Duration.ofMillis(500), Duration.ofMillis(1500)).socketTimeoutSeconds());
    }
}
