package io.edgesync.dispatcher.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One security-relevant event: the row of {@code audit_events}, the value of topic
 * {@code audit.events} (key: subject; schema docs/contracts/schemas/audit.events.v1.json) and what
 * {@code GET /api/v1/audit} lists. {@code at} is epoch milliseconds; {@code subject} names what the
 * event is about (a device id, an operator token id, a deployment id, the credential of an operator
 * write); {@code error} is the error code of a refusal.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEvent(String eventId, long at, String kind, String outcome, Actor actor, String remoteAddress,
                         String subject, String deviceId, String error, JsonNode detail) {
    public static final String SUCCESS = "success";
    public static final String REFUSED = "refused";

    public AuditEvent {
        Objects.requireNonNull(eventId);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(outcome);
        Objects.requireNonNull(actor);
        Objects.requireNonNull(subject);
    }

    /** A change that was made. */
    public static AuditEvent success(String kind, Actor actor, String subject, String deviceId, JsonNode detail,
                                     Instant at) {
        return new AuditEvent(UUID.randomUUID().toString(), at.toEpochMilli(), kind, SUCCESS, actor,
                actor.remoteAddress(), subject, deviceId, null, detail);
    }

    /** A request that was refused with {@code error} (an error code of docs/api.md). */
    public static AuditEvent refused(String kind, Actor actor, String subject, String deviceId, String error,
                                     JsonNode detail, Instant at) {
        return new AuditEvent(UUID.randomUUID().toString(), at.toEpochMilli(), kind, REFUSED, actor,
                actor.remoteAddress(), subject, deviceId, error, detail);
    }
}
