package io.edgesync.dispatcher.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.deploy.DeploymentView;
import io.edgesync.dispatcher.deploy.Selection;
import io.edgesync.dispatcher.store.Columns;
import io.edgesync.dispatcher.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Statements on {@code command_groups} and a group's rows of {@code commands}, in the caller's transaction. */
final class CommandGroupStore {
    private static final Sql SQL = Sql.load("command-groups.sql");

    private CommandGroupStore() {
    }

    /** What a new group is created with. */
    record NewGroup(UUID id, String type, JsonNode payload, DeploymentView.Selector selector, int devices,
                    long ttlSeconds, String createdBy, Instant at) {
    }

    static void insert(Connection c, NewGroup g) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("insert-group"))) {
            ps.setObject(1, g.id());
            ps.setString(2, g.type());
            Columns.setJson(ps, 3, g.payload());
            ps.setString(4, g.selector().type());
            ps.setString(5, g.selector().value());
            ps.setInt(6, g.devices());
            ps.setLong(7, g.ttlSeconds());
            ps.setString(8, g.createdBy());
            Columns.setInstant(ps, 9, g.at());
            ps.executeUpdate();
        }
    }

    static CommandGroupView get(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("get-group"))) {
            ps.setObject(1, id);
            List<CommandGroupView> rows = groups(ps);
            return rows.isEmpty() ? null : rows.get(0);
        }
    }

    static List<CommandGroupView> list(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("list-groups"))) {
            ps.setInt(1, limit);
            return groups(ps);
        }
    }

    /** Of these devices, those that already have the group's command. */
    static Set<String> alreadyFannedOut(Connection c, UUID groupId, List<String> devices) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(SQL.get("already-fanned-out"))) {
            ps.setObject(1, groupId);
            ps.setArray(2, Selection.textArray(c, devices));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Numbers one more command for each device, in one statement; devices gone since selection are absent. */
    static Map<String, Long> nextSeqs(Connection c, List<String> devices) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SQL.get("next-seqs"))) {
            ps.setArray(1, Selection.textArray(c, devices));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** Inserts the commands (pending) in one batch. */
    static void insertCommands(Connection c, List<CommandView> commands, UUID groupId, Instant now, Instant expiresAt)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("insert-command"))) {
            for (CommandView v : commands) {
                ps.setObject(1, UUID.fromString(v.commandId()));
                ps.setString(2, v.deviceId());
                ps.setString(3, v.commandType());
                Columns.setJson(ps, 4, v.payload());
                Columns.setInstant(ps, 5, now);
                Columns.setInstant(ps, 6, expiresAt);
                ps.setLong(7, v.seq());
                Columns.setInstant(ps, 8, now);
                ps.setObject(9, groupId);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The group's commands per effective status (open past TTL: expired), every status present. */
    static Map<String, Integer> counts(Connection c, UUID groupId, Instant now) throws SQLException {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (CommandStatus s : CommandStatus.values()) {
            out.put(s.wire(), 0);
        }
        try (PreparedStatement ps = c.prepareStatement(SQL.get("counts"))) {
            Columns.setInstant(ps, 1, now);
            ps.setObject(2, groupId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString("effective"), rs.getInt("n"));
                }
            }
        }
        return out;
    }

    /** A page of the group's commands by device id after {@code after}, optionally of one effective status. */
    static List<CommandView> commands(Connection c, UUID groupId, CommandStatus status, String after, int limit,
                                      Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("list-commands"))) {
            String s = status == null ? null : status.wire();
            ps.setObject(1, groupId);
            ps.setString(2, after == null ? "" : after);
            ps.setString(3, s);
            Columns.setInstant(ps, 4, now);
            ps.setString(5, s);
            ps.setInt(6, limit);
            return CommandStore.rows(ps);
        }
    }

    /** Up to {@code limit} open commands of the group, locked. */
    static List<CommandView> open(Connection c, UUID groupId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("open-commands"))) {
            ps.setObject(1, groupId);
            ps.setInt(2, limit);
            return CommandStore.rows(ps);
        }
    }

    /** Moves each command to its final state, in one batch. */
    static void finish(Connection c, Map<String, CommandStatus> byCommandId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("finish"))) {
            for (Map.Entry<String, CommandStatus> e : byCommandId.entrySet()) {
                ps.setString(1, e.getValue().wire());
                Columns.setInstant(ps, 2, now);
                Columns.setInstant(ps, 3, now);
                ps.setObject(4, UUID.fromString(e.getKey()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Locks the group row (so a cancel and a fan-out batch take turns); @return whether it is cancelled */
    static boolean lockCancelled(Connection c, UUID groupId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("lock-group"))) {
            ps.setObject(1, groupId);
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next() || rs.getObject("cancelled_at") != null;
            }
        }
    }

    /** @return whether the group was not cancelled before */
    static boolean markCancelled(Connection c, UUID groupId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("mark-cancelled"))) {
            Columns.setInstant(ps, 1, now);
            ps.setObject(2, groupId);
            return ps.executeUpdate() == 1;
        }
    }

    private static List<CommandGroupView> groups(PreparedStatement ps) throws SQLException {
        List<CommandGroupView> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String type = rs.getString("selector_type");
                Instant cancelled = Columns.instant(rs, "cancelled_at");
                out.add(new CommandGroupView(rs.getObject("group_id").toString(), rs.getString("command_type"),
                        Columns.json(rs, "payload"), new CommandGroupView.Selector(type,
                        "ids".equals(type) ? null : rs.getString("selector_value")), rs.getInt("device_count"),
                        rs.getLong("ttl_seconds"), rs.getString("created_by"),
                        Columns.instant(rs, "created_at").toString(), cancelled == null ? null : cancelled.toString(),
                        null, null));
            }
        }
        return out;
    }
}
