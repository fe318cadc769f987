package io.edgesync.dispatcher.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlTest {
    @Test
    void namedStatementsAreSplitAndTrailingSemicolonsDropped() {
        Map<String, String> s = Sql.parse("-- header comment\n-- name: a\nSELECT 1\nFROM t;\n\n-- name: b\n-- note\nSELECT 2;\n");
        assertEquals("SELECT 1\nFROM t", s.get("a"));
        assertEquals("SELECT 2", s.get("b"));
    }

    @Test
    void everyResourceLoadsAndUnknownNamesFail() {
        Sql commands = Sql.load("commands.sql");
        assertTrue(commands.get("deliverable").contains("FOR UPDATE"));
        Sql.load("devices.sql").get("insert-device");
        Sql.load("configs.sql").get("changed-since");
        assertThrows(IllegalArgumentException.class, () -> commands.get("nope"));
    }
}
