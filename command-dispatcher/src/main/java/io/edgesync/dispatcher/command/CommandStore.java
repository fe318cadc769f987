package io.edgesync.dispatcher.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.store.Columns;
import io.edgesync.dispatcher.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Statements on {@code commands}, each run inside the caller's transaction. */
final class CommandStore {
    private static final Sql SQL = Sql.load("commands.sql");

    private CommandStore() {
    }

    /** @return the device's next command sequence number, or null when there is no such device */
    static Long nextSeq(Connection c, String deviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("next-seq"))) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    static void insert(Connection c, UUID id, String deviceId, String type, JsonNode payload, Instant now,
                       Instant expiresAt, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("insert-command"))) {
            ps.setObject(1, id);
            ps.setString(2, deviceId);
            ps.setString(3, type);
            Columns.setJson(ps, 4, payload);
            Columns.setInstant(ps, 5, now);
            Columns.setInstant(ps, 6, expiresAt);
            ps.setLong(7, seq);
            Columns.setInstant(ps, 8, now);
            ps.executeUpdate();
        }
    }

    static CommandView get(Connection c, UUID id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get(lock ? "lock-command" : "get-command"))) {
            ps.setObject(1, id);
            List<CommandView> rows = rows(ps);
            return rows.isEmpty() ? null : rows.get(0);
        }
    }

    static List<CommandView> list(Connection c, String deviceId, CommandStatus status, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("list-commands"))) {
            ps.setString(1, deviceId);
            ps.setString(2, status == null ? null : status.wire());
            ps.setString(3, status == null ? null : status.wire());
            ps.setInt(4, limit);
            return rows(ps);
        }
    }

    /** Pending commands, and delivered ones whose visibility timeout passed, in creation order; locked. */
    static List<CommandView> deliverable(Connection c, String deviceId, Instant visibleBefore, Instant now, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("deliverable"))) {
            ps.setString(1, deviceId);
            Columns.setInstant(ps, 2, visibleBefore);
            Columns.setInstant(ps, 3, now);
            ps.setInt(4, limit);
            return rows(ps);
        }
    }

    static void markDelivered(Connection c, List<CommandView> commands, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("mark-delivered"))) {
            for (CommandView cmd : commands) {
                Columns.setInstant(ps, 1, now);
                Columns.setInstant(ps, 2, now);
                ps.setObject(3, UUID.fromString(cmd.commandId()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Open commands past their TTL, locked: of one device, or (deviceId null) of any, oldest first. */
    static List<CommandView> due(Connection c, String deviceId, Instant now, int limit) throws SQLException {
        if (deviceId != null) {
            try (PreparedStatement ps = c.prepareStatement(SQL.get("due-for-device"))) {
                ps.setString(1, deviceId);
                Columns.setInstant(ps, 2, now);
                return rows(ps);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(SQL.get("due"))) {
            Columns.setInstant(ps, 1, now);
            ps.setInt(2, limit);
            return rows(ps);
        }
    }

    /** Moves a command to a final state (executed, failed, expired, cancelled). */
    static void finish(Connection c, String commandId, CommandStatus status, JsonNode result, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("finish"))) {
            ps.setString(1, status.wire());
            Columns.setJson(ps, 2, result);
            Columns.setInstant(ps, 3, now);
            Columns.setInstant(ps, 4, now);
            ps.setObject(5, UUID.fromString(commandId));
            ps.executeUpdate();
        }
    }

    static List<CommandView> rows(PreparedStatement ps) throws SQLException {
        List<CommandView> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new CommandView(rs.getObject("command_id").toString(), rs.getString("device_id"),
                        rs.getString("command_type"), Columns.json(rs, "payload"), rs.getString("status"),
                        Columns.json(rs, "result"), rs.getLong("seq"), iso(Columns.instant(rs, "created_at")),
                        iso(Columns.instant(rs, "expires_at")), iso(Columns.instant(rs, "delivered_at")),
                        rs.getInt("delivery_count"), iso(Columns.instant(rs, "completed_at")),
                        rs.getObject("group_id") == null ? null : rs.getObject("group_id").toString()));
            }
        }
        return out;
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
