package io.edgesync.dispatcher.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.audit.Actor;
import io.edgesync.dispatcher.audit.AuditEvent;
import io.edgesync.dispatcher.audit.AuditKind;
import io.edgesync.dispatcher.audit.AuditLog;
import io.edgesync.dispatcher.device.DeviceService;
import io.edgesync.dispatcher.store.Columns;
import io.edgesync.dispatcher.store.Sql;
import io.edgesync.shared.db.Transactions;
import io.edgesync.shared.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Desired configuration per device: every change increments the device's config version. */
public final class ConfigService {
    private static final Sql SQL = Sql.load("configs.sql");

    private final Transactions tx;
    private final Clock clock;

    public ConfigService(Transactions tx, Clock clock) {
        this.tx = Objects.requireNonNull(tx);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Sets a desired key; the audit event {@code config.changed} (key and version, not the value) is written with it. */
    public ConfigEntry put(String deviceId, String key, JsonNode value, Actor actor) throws SQLException {
        Instant now = clock.instant();
        return tx.inTransaction(c -> {
            long version;
            try (PreparedStatement ps = c.prepareStatement(SQL.get("bump-version"))) {
                ps.setString(1, deviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw DeviceService.notFound(deviceId);
                    }
                    version = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(SQL.get("upsert-entry"))) {
                ps.setString(1, deviceId);
                ps.setString(2, key);
                Columns.setJson(ps, 3, value);
                ps.setLong(4, version);
                Columns.setInstant(ps, 5, now);
                ps.executeUpdate();
            }
            AuditLog.write(c, AuditEvent.success(AuditKind.CONFIG_CHANGED, actor, deviceId, deviceId,
                    Json.mapper().createObjectNode().put("key", key).put("version", version), now));
            return new ConfigEntry(key, value, version, now.toString());
        });
    }

    public ConfigViews.Changes since(String deviceId, long since) throws SQLException {
        return tx.inTransaction(c -> {
            long[] versions = versions(c, deviceId);
            return new ConfigViews.Changes(deviceId, since, versions[0], entries(c, deviceId, since));
        });
    }

    public ConfigViews.DesiredAndReported desiredAndReported(String deviceId) throws SQLException {
        return tx.inTransaction(c -> {
            long[] versions = versions(c, deviceId);
            Long reported = versions[1] < 0 ? null : versions[1];
            List<ConfigViews.Entry> entries = new ArrayList<>();
            for (ConfigEntry e : entries(c, deviceId, 0)) {
                entries.add(new ConfigViews.Entry(e.key(), e.value(), e.version(), e.updatedAt(),
                        reported != null && reported >= e.version()));
            }
            return new ConfigViews.DesiredAndReported(deviceId, versions[0], reported,
                    reported != null && reported >= versions[0], entries);
        });
    }

    /** {desired, reported (-1 when never reported)}; 404 when there is no such device. */
    private static long[] versions(Connection c, String deviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("versions"))) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw DeviceService.notFound(deviceId);
                }
                Long reported = Columns.nullableLong(rs, "reported_config_version");
                return new long[] {rs.getLong("config_version"), reported == null ? -1 : reported};
            }
        }
    }

    private static List<ConfigEntry> entries(Connection c, String deviceId, long since) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("changed-since"))) {
            ps.setString(1, deviceId);
            ps.setLong(2, since);
            List<ConfigEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant updated = Columns.instant(rs, "updated_at");
                    out.add(new ConfigEntry(rs.getString("config_key"), Columns.json(rs, "value"), rs.getLong("version"),
                            updated == null ? null : updated.toString()));
                }
            }
            return out;
        }
    }
}
