package io.edgesync.dispatcher.events;

import io.edgesync.dispatcher.store.Columns;
import io.edgesync.dispatcher.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The transactional outbox ({@code event_outbox}): a record written in the same database
 * transaction as the change it announces; {@link OutboxRelay} publishes it to its topic.
 */
public final class Outbox {
    static final Sql SQL = Sql.load("outbox.sql");

    private Outbox() {
    }

    /** Adds a record for {@code topic}; returns its id, which {@link OutboxRelay#awaitPublished} waits for. */
    public static UUID add(Connection c, String topic, String key, String payload, Instant now) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement(SQL.get("add"))) {
            ps.setObject(1, id);
            ps.setString(2, topic);
            ps.setString(3, key);
            ps.setString(4, payload);
            Columns.setInstant(ps, 5, now);
            ps.executeUpdate();
        }
        return id;
    }

    /** A record to add. */
    public record Entry(String topic, String key, String payload, Instant createdAt) {
    }

    /** Adds the records in one batch. */
    public static void addAll(Connection c, List<Entry> entries) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("add"))) {
            for (Entry e : entries) {
                ps.setObject(1, UUID.randomUUID());
                ps.setString(2, e.topic());
                ps.setString(3, e.key());
                ps.setString(4, e.payload());
                Columns.setInstant(ps, 5, e.createdAt());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
