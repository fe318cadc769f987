package io.edgesync.agent.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code device_config}: the configuration the dispatcher sent, key by key, and the version it is
 * at ({@code agent_state.config_version}). A change set is applied in one transaction: all of its
 * keys and the new version, or nothing.
 */
public final class DeviceConfigStore {
    /** One changed key; a null value deletes it. */
    public record Change(String key, String value) {
    }

    private static final String VERSION_KEY = "config_version";

    private final LocalStore store;

    public DeviceConfigStore(LocalStore store) {
        this.store = Objects.requireNonNull(store);
    }

    public long version() {
        String v = store.state(VERSION_KEY);
        return v == null ? 0L : Long.parseLong(v);
    }

    /** Applies changes up to {@code newVersion}; an older or equal version changes nothing. */
    public boolean apply(long newVersion, Iterable<Change> changes) {
        return store.inTransaction(() -> {
            if (newVersion <= version()) {
                return false;
            }
            long now = store.clock().millis();
            for (Change c : changes) {
                if (c.value() == null) {
                    try (PreparedStatement ps = store.connection().prepareStatement(
                            "DELETE FROM device_config WHERE config_key = ?")) {
                        ps.setString(1, c.key());
                        ps.executeUpdate();
                    }
                    continue;
                }
                try (PreparedStatement ps = store.connection().prepareStatement("INSERT INTO device_config"
                        + " (config_key, value, version, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (config_key)"
                        + " DO UPDATE SET value = excluded.value, version = excluded.version,"
                        + " updated_at = excluded.updated_at")) {
                    ps.setString(1, c.key());
                    ps.setString(2, c.value());
                    ps.setLong(3, newVersion);
                    ps.setLong(4, now);
                    ps.executeUpdate();
                }
            }
            AgentStateSql.put(store.connection(), VERSION_KEY, Long.toString(newVersion));
            return true;
        });
    }

    public Map<String, String> all() {
        return store.inTransaction(() -> {
            Map<String, String> out = new LinkedHashMap<>();
            try (PreparedStatement ps = store.connection().prepareStatement(
                    "SELECT config_key, value FROM device_config ORDER BY config_key");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
    }
}
