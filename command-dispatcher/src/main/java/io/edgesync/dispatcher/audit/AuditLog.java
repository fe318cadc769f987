package io.edgesync.dispatcher.audit;

import io.edgesync.dispatcher.events.Outbox;
import io.edgesync.dispatcher.events.OutboxRelay;
import io.edgesync.dispatcher.store.Columns;
import io.edgesync.dispatcher.store.Sql;
import io.edgesync.shared.db.Transactions;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The security audit log: {@link #write} adds an event to {@code audit_events} and its record for
 * topic {@code audit.events} to the outbox, in the caller's transaction (so the event exists exactly
 * when the change does); {@link #record} does so in a transaction of its own (refusals, operator
 * writes) and nudges the relay. The relay publishes the record once Kafka is reachable.
 */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final Sql SQL = Sql.load("audit.sql");

    private final Transactions tx;
    private final OutboxRelay relay;

    public AuditLog(Transactions tx, OutboxRelay relay) {
        this.tx = Objects.requireNonNull(tx);
        this.relay = Objects.requireNonNull(relay);
    }

    /** In the caller's transaction: the row and its outbox record. */
    public static void write(Connection c, AuditEvent e) throws SQLException {
        writeAll(c, List.of(e));
    }

    /** In the caller's transaction: the rows and their outbox records, as two batches (group commands). */
    public static void writeAll(Connection c, List<AuditEvent> events) throws SQLException {
        List<Outbox.Entry> records = new ArrayList<>(events.size());
        try (PreparedStatement ps = c.prepareStatement(SQL.get("insert"))) {
            for (AuditEvent e : events) {
                Instant at = Instant.ofEpochMilli(e.at());
                ps.setObject(1, UUID.fromString(e.eventId()));
                Columns.setInstant(ps, 2, at);
                ps.setString(3, e.kind());
                ps.setString(4, e.outcome());
                ps.setString(5, e.actor().kind());
                ps.setString(6, e.actor().id());
                ps.setString(7, e.actor().credentialId());
                ps.setString(8, e.remoteAddress());
                ps.setString(9, e.subject());
                ps.setString(10, e.deviceId());
                ps.setString(11, e.error());
                Columns.setJson(ps, 12, e.detail());
                ps.addBatch();
                records.add(new Outbox.Entry(Topics.AUDIT_EVENTS.name(), e.subject(), Json.toString(e), at));
            }
            ps.executeBatch();
        }
        Outbox.addAll(c, records);
    }

    /**
     * In a transaction of its own, then nudges the relay. A database failure is logged and swallowed:
     * the request it records is answered as it would have been (a refusal stays that refusal).
     */
    public void record(AuditEvent e) {
        try {
            tx.inTransaction(c -> {
                write(c, e);
                return null;
            });
            relay.nudge();
        } catch (SQLException | RuntimeException ex) {
            LOG.warn("event=audit_write_failed kind={} subject={} reason={}", e.kind(), e.subject(),
                    ex.getClass().getSimpleName());
        }
    }

    /** Rows were committed with {@link #write}: publish them now. */
    public void nudge() {
        relay.nudge();
    }

    /** A page, newest first; 400 when {@code after} names no event. */
    public List<AuditEvent> list(AuditQuery q) throws SQLException {
        return tx.inTransaction(c -> {
            Instant afterAt = null;
            if (q.after() != null) {
                try (PreparedStatement ps = c.prepareStatement(SQL.get("position"))) {
                    ps.setObject(1, q.after());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new ApiException(ErrorCode.INVALID_REQUEST, "after names no audit event",
                                    Map.of("field", "after"), null);
                        }
                        afterAt = Columns.instant(rs, "at");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(SQL.get("list"))) {
                ps.setString(1, q.deviceId());
                ps.setString(2, q.deviceId());
                ps.setString(3, q.kind());
                ps.setString(4, q.kind());
                ps.setString(5, q.subject());
                ps.setString(6, q.subject());
                Columns.setInstant(ps, 7, q.since());
                Columns.setInstant(ps, 8, q.since());
                Columns.setInstant(ps, 9, afterAt);
                Columns.setInstant(ps, 10, afterAt);
                Columns.setInstant(ps, 11, afterAt);
                ps.setObject(12, q.after());
                ps.setInt(13, q.limit());
                List<AuditEvent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(event(rs));
                    }
                }
                return out;
            }
        });
    }

    private static AuditEvent event(ResultSet rs) throws SQLException {
        String remote = rs.getString("remote_address");
        return new AuditEvent(rs.getObject("event_id", UUID.class).toString(), Columns.instant(rs, "at").toEpochMilli(),
                rs.getString("kind"), rs.getString("outcome"), new Actor(rs.getString("actor_kind"),
                rs.getString("actor_id"), rs.getString("credential_id"), remote), remote, rs.getString("subject"),
                rs.getString("device_id"), rs.getString("error_code"), Columns.json(rs, "detail"));
    }
}
