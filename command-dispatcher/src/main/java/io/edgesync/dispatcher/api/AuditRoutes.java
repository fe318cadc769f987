package io.edgesync.dispatcher.api;

import io.edgesync.dispatcher.audit.Actor;
import io.edgesync.dispatcher.audit.AuditEvent;
import io.edgesync.dispatcher.audit.AuditKind;
import io.edgesync.dispatcher.audit.AuditLog;
import io.edgesync.dispatcher.audit.AuditQuery;
import io.edgesync.dispatcher.auth.Access;
import io.edgesync.dispatcher.auth.Authenticator;
import io.edgesync.dispatcher.auth.Principal;
import io.edgesync.shared.json.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * {@code GET /api/v1/audit} (role operator): the audit log newest first, filtered by device, kind and
 * time, paginated with {@code after}. Also records every write request made with an operator or viewer
 * token ({@code operator.write}, its method, path and status, refused writes included) and nudges the
 * outbox relay after each write, so the audit records of the request are published at once.
 */
public final class AuditRoutes {
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final Authenticator auth;
    private final AuditLog audit;
    private final Clock clock;

    public AuditRoutes(Authenticator auth, AuditLog audit, Clock clock) {
        this.auth = Objects.requireNonNull(auth);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
    }

    public void install(Javalin app) {
        app.get("/api/v1/audit", this::list);
        app.after(this::afterWrite);
    }

    private void list(Context ctx) throws Exception {
        Access.requireOperator(auth.authenticate(ctx));
        String device = ctx.queryParam("device");
        if (device != null) {
            Requests.id(device, "device");
        }
        String kind = ctx.queryParam("kind");
        if (kind != null && !AuditKind.ALL.contains(kind)) {
            throw Requests.invalid("kind", "must be one of " + String.join(", ", AuditKind.ALL.stream().sorted().toList()));
        }
        int limit = Requests.intParam(ctx, "limit", 100, 1, 1000);
        List<AuditEvent> page = audit.list(new AuditQuery(device, kind, ctx.queryParam("subject"),
                since(ctx.queryParam("since")), after(ctx.queryParam("after")), limit));
        Map<String, Object> out = new HashMap<>();
        out.put("events", page);
        out.put("nextAfter", page.size() == limit ? page.get(page.size() - 1).eventId() : null);
        ctx.json(out);
    }

    private static Instant since(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw Requests.invalid("since", "must be an ISO-8601 instant, e.g. 2026-01-01T00:00:00Z");
        }
    }

    private static UUID after(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw Requests.invalid("after", "must be the eventId of the last event of the previous page");
        }
    }

    private void afterWrite(Context ctx) {
        if (!WRITES.contains(ctx.method().name())) {
            return;
        }
        Principal p = Authenticator.principalOf(ctx);
        if (p != null && p.kind() == Principal.Kind.OPERATOR) {
            int status = ctx.statusCode();
            Actor actor = Actor.of(p, ctx.ip());
            String subject = p.credentialId() != null ? p.credentialId() : p.subject();
            var detail = Json.mapper().createObjectNode().put("method", ctx.method().name()).put("path", ctx.path())
                    .put("status", status);
            audit.record(status < 400
                    ? AuditEvent.success(AuditKind.OPERATOR_WRITE, actor, subject, null, detail, clock.instant())
                    : AuditEvent.refused(AuditKind.OPERATOR_WRITE, actor, subject, null, errorCode(ctx), detail,
                            clock.instant()));
        } else {
            audit.nudge();
        }
    }

    /** The error code of the refusal written to the response, or the status when there is none. */
    private static String errorCode(Context ctx) {
        Object code = ctx.attribute(io.edgesync.shared.http.HttpServers.ERROR_CODE_ATTRIBUTE);
        return code != null ? code.toString() : Integer.toString(ctx.statusCode());
    }
}
