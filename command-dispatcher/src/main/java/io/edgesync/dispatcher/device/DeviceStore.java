package io.edgesync.dispatcher.device;

import io.edgesync.dispatcher.store.Columns;
import io.edgesync.dispatcher.store.Sql;
import io.edgesync.shared.db.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Rows of {@code devices} (and the device's {@code sync_status}); every call is one transaction. */
public final class DeviceStore {
    private static final Sql SQL = Sql.load("devices.sql");

    /** The device's current token as stored: a hash only. */
    public record TokenState(String tokenHash, String status, long tokenVersion) {
    }

    private final Transactions tx;

    public DeviceStore(Transactions tx) {
        this.tx = Objects.requireNonNull(tx);
    }

    public Transactions transactions() {
        return tx;
    }

    /** @return false when the device id is taken */
    public static boolean insert(Connection c, NewDevice d, String tokenHash, Instant tokenExpiresAt, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("insert-device"))) {
            ps.setString(1, d.deviceId());
            ps.setString(2, d.name());
            ps.setString(3, d.deviceType());
            ps.setString(4, d.location());
            Columns.setJson(ps, 5, d.metadata());
            ps.setString(6, tokenHash);
            Columns.setInstant(ps, 7, tokenExpiresAt);
            Columns.setInstant(ps, 8, now);
            return ps.executeUpdate() == 1;
        }
    }

    public TokenState tokenState(String deviceId) throws SQLException {
        return tx.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SQL.get("token-state"))) {
                ps.setString(1, deviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new TokenState(rs.getString(1), rs.getString(2), rs.getLong(3)) : null;
                }
            }
        });
    }

    /** Locks the device row and reads its token state; null when there is no such device. */
    public static TokenState lockTokenState(Connection c, String deviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("lock-token-state"))) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new TokenState(rs.getString(1), rs.getString(2), rs.getLong(3)) : null;
            }
        }
    }

    public static void setToken(Connection c, String deviceId, String tokenHash, Instant expiresAt, long version)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("set-token"))) {
            ps.setString(1, tokenHash);
            Columns.setInstant(ps, 2, expiresAt);
            ps.setLong(3, version);
            ps.setString(4, deviceId);
            ps.executeUpdate();
        }
    }

    /** Revoked, at a new token version: every registry change bumps it. */
    public static void revokeToken(Connection c, String deviceId, long version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("revoke-token"))) {
            ps.setLong(1, version);
            ps.setString(2, deviceId);
            ps.executeUpdate();
        }
    }

    /** @return false when there is no such device */
    public boolean heartbeat(String deviceId, Heartbeat h, Instant now) throws SQLException {
        return tx.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SQL.get("heartbeat"))) {
                Columns.setInstant(ps, 1, now);
                ps.setString(2, h.agentVersion());
                ps.setObject(3, h.configVersion(), java.sql.Types.BIGINT);
                ps.setObject(4, h.pendingRecords(), java.sql.Types.BIGINT);
                ps.setObject(5, h.deviceTime() == null ? null : h.deviceTime() - now.toEpochMilli(),
                        java.sql.Types.BIGINT);
                Columns.setInstant(ps, 6, h.deviceTime() == null ? null : Instant.ofEpochMilli(h.deviceTime()));
                ps.setString(7, deviceId);
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            if (h.pendingRecords() != null || h.lastSyncStatus() != null) {
                try (PreparedStatement ps = c.prepareStatement(SQL.get("heartbeat-sync-status"))) {
                    ps.setString(1, deviceId);
                    ps.setObject(2, h.pendingRecords(), java.sql.Types.BIGINT);
                    ps.setString(3, h.lastSyncStatus());
                    ps.setString(4, h.lastSyncStatus() == null || "ok".equals(h.lastSyncStatus()) ? null
                            : h.lastError());
                    Columns.setInstant(ps, 5, h.lastSyncStatus() == null ? null : now);
                    Columns.setInstant(ps, 6, Instant.EPOCH);
                    ps.setObject(7, h.pendingRecords(), java.sql.Types.BIGINT);
                    ps.executeUpdate();
                }
            }
            return true;
        });
    }

    /** @param offlineBefore a device last seen before this shows offline */
    public DeviceView get(String deviceId, Instant offlineBefore) throws SQLException {
        return tx.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SQL.get("get-device"))) {
                Columns.setInstant(ps, 1, offlineBefore);
                ps.setString(2, deviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? view(rs) : null;
                }
            }
        });
    }

    /** One page in device id order, after {@code after} (exclusive); {@code status} null for all. */
    public List<DeviceView> list(String status, String after, int limit, Instant offlineBefore) throws SQLException {
        return tx.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SQL.get("list-devices"))) {
                Columns.setInstant(ps, 1, offlineBefore);
                ps.setString(2, after == null ? "" : after);
                ps.setString(3, status);
                ps.setString(4, status);
                ps.setInt(5, limit);
                List<DeviceView> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(view(rs));
                    }
                }
                return out;
            }
        });
    }

    public static boolean exists(Connection c, String deviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("exists"))) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public SyncStatusView syncStatus(String deviceId, Instant offlineBefore) throws SQLException {
        return tx.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SQL.get("sync-status"))) {
                Columns.setInstant(ps, 1, offlineBefore);
                ps.setString(2, deviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    Long reported = Columns.nullableLong(rs, "pending_records");
                    return new SyncStatusView(rs.getString("device_id"), rs.getString("presence"),
                            iso(Columns.instant(rs, "last_seen_at")), iso(Columns.instant(rs, "last_sync_at")),
                            rs.getString("last_sync_status"),
                            reported != null ? reported : rs.getLong("pending_records_count"),
                            rs.getLong("total_synced_records"), rs.getString("last_error"));
                }
            }
        });
    }

    private static DeviceView view(ResultSet rs) throws SQLException {
        return new DeviceView(rs.getString("device_id"), rs.getString("name"), rs.getString("device_type"),
                rs.getString("location"), Columns.json(rs, "metadata"), rs.getString("presence"),
                rs.getString("token_status"), rs.getLong("token_version"), iso(Columns.instant(rs, "token_expires_at")),
                rs.getString("agent_version"), rs.getLong("config_version"),
                Columns.nullableLong(rs, "reported_config_version"), Columns.nullableLong(rs, "clock_skew_ms"),
                Columns.nullableLong(rs, "pending_records"), iso(Columns.instant(rs, "created_at")),
                iso(Columns.instant(rs, "last_seen_at")), rs.getString("region"));
    }

    public static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
