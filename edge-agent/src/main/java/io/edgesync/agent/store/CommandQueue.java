package io.edgesync.agent.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code command_queue}: commands received from the dispatcher. A command id is stored once, so a
 * command delivered twice runs once. States: {@code received} → {@code running} → {@code executed}
 * | {@code failed}; {@code acked_at} is set when the dispatcher took the result. A command found
 * {@code running} after a crash is not run again: it is reported failed.
 */
public final class CommandQueue {
    /** One stored command. */
    public record QueuedCommand(String commandId, String commandType, String payload, String status, String result) {
    }

    private final LocalStore store;

    public CommandQueue(LocalStore store) {
        this.store = Objects.requireNonNull(store);
    }

    /** Stores a delivered command; false when it was delivered before. */
    public boolean offer(String commandId, String commandType, String payload) {
        return store.inTransaction(() -> {
            try (PreparedStatement ps = store.connection().prepareStatement("INSERT OR IGNORE INTO command_queue"
                    + " (command_id, command_type, payload, status, received_at) VALUES (?, ?, ?, 'received', ?)")) {
                ps.setString(1, commandId);
                ps.setString(2, commandType);
                ps.setString(3, payload);
                ps.setLong(4, store.clock().millis());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Claims the oldest received command for running, or null. Claiming is a committed state
     * change, so a crash during the handler never runs it a second time.
     */
    public QueuedCommand claimNext() {
        return store.inTransaction(() -> {
            List<QueuedCommand> found = select("status = 'received' ORDER BY received_at, rowid LIMIT 1");
            if (found.isEmpty()) {
                return null;
            }
            QueuedCommand c = found.get(0);
            update("UPDATE command_queue SET status = 'running' WHERE command_id = ?", c.commandId());
            return c;
        });
    }

    /** Records a handler's outcome: {@code executed} or {@code failed}, with a result text. */
    public void complete(String commandId, boolean executed, String result) {
        store.inTransaction(() -> {
            try (PreparedStatement ps = store.connection().prepareStatement("UPDATE command_queue SET status = ?,"
                    + " result = ?, executed_at = ? WHERE command_id = ? AND status IN ('received', 'running')")) {
                ps.setString(1, executed ? "executed" : "failed");
                ps.setString(2, result);
                ps.setLong(3, store.clock().millis());
                ps.setString(4, commandId);
                return ps.executeUpdate();
            }
        });
    }

    /** Commands a crash left running: they are reported failed, never run twice. */
    public int failInterrupted() {
        return store.inTransaction(() -> {
            try (PreparedStatement ps = store.connection().prepareStatement("UPDATE command_queue SET"
                    + " status = 'failed', result = 'interrupted: the agent stopped while running it',"
                    + " executed_at = ? WHERE status = 'running'")) {
                ps.setLong(1, store.clock().millis());
                return ps.executeUpdate();
            }
        });
    }

    /** Finished commands whose result the dispatcher has not yet taken. */
    public List<QueuedCommand> unacknowledged() {
        return store.inTransaction(() -> select("status IN ('executed', 'failed') AND acked_at IS NULL"
                + " ORDER BY received_at, rowid"));
    }

    public void markAcknowledged(String commandId) {
        store.inTransaction(() -> {
            try (PreparedStatement ps = store.connection().prepareStatement(
                    "UPDATE command_queue SET acked_at = ? WHERE command_id = ?")) {
                ps.setLong(1, store.clock().millis());
                ps.setString(2, commandId);
                return ps.executeUpdate();
            }
        });
    }

    public QueuedCommand find(String commandId) {
        return store.inTransaction(() -> {
            try (PreparedStatement ps = store.connection().prepareStatement("SELECT command_id, command_type, payload,"
                    + " status, result FROM command_queue WHERE command_id = ?")) {
                ps.setString(1, commandId);
                List<QueuedCommand> out = read(ps);
                return out.isEmpty() ? null : out.get(0);
            }
        });
    }

    private List<QueuedCommand> select(String whereAndOrder) throws SQLException {
        try (PreparedStatement ps = store.connection().prepareStatement("SELECT command_id, command_type, payload,"
                + " status, result FROM command_queue WHERE " + whereAndOrder)) {
            return read(ps);
        }
    }

    private static List<QueuedCommand> read(PreparedStatement ps) throws SQLException {
        List<QueuedCommand> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new QueuedCommand(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)));
            }
        }
        return out;
    }

    private void update(String sql, String commandId) throws SQLException {
        try (PreparedStatement ps = store.connection().prepareStatement(sql)) {
            ps.setString(1, commandId);
            ps.executeUpdate();
        }
    }
}
