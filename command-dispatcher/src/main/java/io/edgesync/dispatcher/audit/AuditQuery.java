package io.edgesync.dispatcher.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * A page of the audit log, newest first. Every filter may be null.
 *
 * @param after the last event of the previous page (its {@code eventId}); the page continues after it
 */
public record AuditQuery(String deviceId, String kind, String subject, Instant since, UUID after, int limit) {
}
