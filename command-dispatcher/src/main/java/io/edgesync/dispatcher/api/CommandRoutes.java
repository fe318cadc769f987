package io.edgesync.dispatcher.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.audit.Actor;
import io.edgesync.dispatcher.auth.Access;
import io.edgesync.dispatcher.auth.Authenticator;
import io.edgesync.dispatcher.auth.Principal;
import io.edgesync.dispatcher.command.CommandService;
import io.edgesync.dispatcher.command.CommandStatus;
import io.edgesync.dispatcher.command.CommandView;
import io.edgesync.dispatcher.command.LongPoll;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.http.HttpServers;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Command endpoints: operators create, read and cancel; devices poll (long-poll) and acknowledge. */
public final class CommandRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRoutes.class);

    private final Authenticator auth;
    private final CommandService commands;
    private final LongPoll longPoll;
    private final Duration maxWait;

    public CommandRoutes(Authenticator auth, CommandService commands, LongPoll longPoll, Duration maxWait) {
        this.auth = Objects.requireNonNull(auth);
        this.commands = Objects.requireNonNull(commands);
        this.longPoll = Objects.requireNonNull(longPoll);
        this.maxWait = Objects.requireNonNull(maxWait);
    }

    public void install(Javalin app) {
        app.post("/api/v1/devices/{id}/commands", this::create);
        app.get("/api/v1/devices/{id}/commands", this::list);
        app.get("/api/v1/commands/{commandId}", this::get);
        app.post("/api/v1/commands/{commandId}/cancel", this::cancel);
        app.get("/api/v1/sync/commands/{deviceId}", this::poll);
        app.post("/api/v1/sync/ack/{commandId}", this::ack);
    }

    private void create(Context ctx) throws SQLException {
        Principal p = auth.authenticate(ctx);
        Access.requireOperator(p);
        JsonNode body = Requests.object(ctx);
        String type = Requests.text(body, "commandType", true, 100);
        Long ttl = Requests.number(body, "ttlSeconds", 1, Long.MAX_VALUE / 1000);
        CommandView c = commands.create(ctx.pathParam("id"), type, Requests.value(body, "payload"), ttl,
                Actor.of(p, ctx.ip()));
        ctx.status(201).json(c);
    }

    private void list(Context ctx) throws SQLException {
        String id = ctx.pathParam("id");
        Access.requireReaderOrDevice(auth.authenticate(ctx), id);
        String raw = ctx.queryParam("status");
        CommandStatus status = raw == null || raw.isEmpty() ? null : CommandStatus.parse(raw);
        if (raw != null && !raw.isEmpty() && status == null) {
            throw Requests.invalid("status", "must be one of pending, delivered, executed, failed, expired, cancelled");
        }
        int limit = Requests.intParam(ctx, "limit", 100, 1, 1000);
        ctx.json(Map.of("deviceId", id, "commands", commands.list(id, status, limit)));
    }

    private void get(Context ctx) throws SQLException {
        Principal p = auth.authenticate(ctx);
        if (!p.isOperator() && p.kind() != Principal.Kind.DEVICE) {
            throw new ApiException(ErrorCode.FORBIDDEN, "requires an operator, viewer or device token");
        }
        ctx.json(commands.get(commandId(ctx), deviceId -> Access.mayRead(p, deviceId)));
    }

    private void cancel(Context ctx) throws SQLException {
        Principal p = auth.authenticate(ctx);
        Access.requireOperator(p);
        ctx.json(commands.cancel(commandId(ctx), Actor.of(p, ctx.ip())));
    }

    /** {@code ?wait=N}: hold the request up to N seconds until a command exists. */
    private void poll(Context ctx) {
        String deviceId = ctx.pathParam("deviceId");
        Access.requireDevice(auth.authenticate(ctx), deviceId);
        int wait = Requests.intParam(ctx, "wait", 0, 0, (int) maxWait.toSeconds());
        ctx.future(() -> longPoll.poll(deviceId, Duration.ofSeconds(wait)).handle((delivered, error) -> {
            if (error == null) {
                ctx.json(Map.of("deviceId", deviceId, "commands", delivered));
            } else {
                fail(ctx, error);
            }
            return null;
        }));
    }

    private void ack(Context ctx) throws SQLException {
        Principal p = auth.authenticate(ctx);
        if (p.kind() != Principal.Kind.DEVICE) {
            throw new ApiException(ErrorCode.FORBIDDEN, "only the device that ran a command acknowledges it");
        }
        UUID id = commandId(ctx);
        JsonNode body = Requests.object(ctx);
        String raw = Requests.text(body, "status", true, 20);
        CommandStatus outcome = CommandStatus.parse(raw);
        if (outcome != CommandStatus.EXECUTED && outcome != CommandStatus.FAILED) {
            throw Requests.invalid("status", "must be executed or failed");
        }
        ctx.json(commands.ack(p.subject(), id, outcome, Requests.value(body, "result")));
    }

    private static UUID commandId(Context ctx) {
        try {
            return UUID.fromString(ctx.pathParam("commandId"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.NOT_FOUND, "no command " + ctx.pathParam("commandId"));
        }
    }

    private static void fail(Context ctx, Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof ApiException api) {
            HttpServers.respond(ctx, api);
        } else if (e instanceof SQLException) {
            LOG.warn("event=poll_failed reason=\"{}\"", e.toString());
            HttpServers.respond(ctx, Errors.databaseUnavailable());
        } else {
            LOG.error("event=poll_failed", e);
            HttpServers.respond(ctx, new ApiException(ErrorCode.INTERNAL, "internal error"));
        }
    }
}
