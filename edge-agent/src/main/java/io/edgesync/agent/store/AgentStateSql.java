package io.edgesync.agent.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** {@code agent_state} key/value rows, on the caller's connection and transaction. */
final class AgentStateSql {
    static final String DROPPED_RECORDS = "dropped_records";

    private AgentStateSql() {
    }

    static String get(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM agent_state WHERE state_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static long getLong(Connection c, String key) throws SQLException {
        String v = get(c, key);
        return v == null ? 0L : Long.parseLong(v);
    }

    static int put(Connection c, String key, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_state (state_key, value)"
                + " VALUES (?, ?) ON CONFLICT (state_key) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, key);
            ps.setString(2, value);
            return ps.executeUpdate();
        }
    }

    static void add(Connection c, String key, long delta) throws SQLException {
        put(c, key, Long.toString(getLong(c, key) + delta));
    }
}
