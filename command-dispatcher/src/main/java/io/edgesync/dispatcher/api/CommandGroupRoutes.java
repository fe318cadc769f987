package io.edgesync.dispatcher.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.audit.Actor;
import io.edgesync.dispatcher.auth.Access;
import io.edgesync.dispatcher.auth.Authenticator;
import io.edgesync.dispatcher.auth.Principal;
import io.edgesync.dispatcher.command.CommandGroups;
import io.edgesync.dispatcher.command.CommandStatus;
import io.edgesync.dispatcher.command.CommandView;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Group commands: operators send one command to every device a selector matches (one device, a type,
 * a label, or listed ids), read its aggregated status, page through its commands and cancel it;
 * viewers read.
 */
public final class CommandGroupRoutes {
    /** Most ids a {@code deviceIds} selector may list (the list is stored with the group). */
    static final int MAX_LISTED_IDS = 10_000;

    private final Authenticator auth;
    private final CommandGroups groups;

    public CommandGroupRoutes(Authenticator auth, CommandGroups groups) {
        this.auth = Objects.requireNonNull(auth);
        this.groups = Objects.requireNonNull(groups);
    }

    public void install(Javalin app) {
        app.post("/api/v1/command-groups", this::create);
        app.get("/api/v1/command-groups", this::list);
        app.get("/api/v1/command-groups/{groupId}", this::get);
        app.get("/api/v1/command-groups/{groupId}/commands", this::commands);
        app.post("/api/v1/command-groups/{groupId}/cancel", this::cancel);
    }

    private void create(Context ctx) throws SQLException {
        Principal p = auth.authenticate(ctx);
        Access.requireOperator(p);
        JsonNode body = Requests.object(ctx);
        String type = Requests.text(body, "commandType", true, 100);
        Long ttl = Requests.number(body, "ttlSeconds", 1, Long.MAX_VALUE / 1000);
        String rawId = Requests.text(body, "groupId", false, 36);
        UUID groupId = null;
        if (rawId != null) {
            try {
                groupId = UUID.fromString(rawId);
            } catch (IllegalArgumentException e) {
                throw Requests.invalid("groupId", "must be a UUID");
            }
        }
        var selector = Selectors.group(Requests.value(body, "selector"),
                Math.min(MAX_LISTED_IDS, groups.maxDevices()));
        CommandGroups.Created created = groups.create(new CommandGroups.Request(groupId, type,
                Requests.value(body, "payload"), ttl, selector), Actor.of(p, ctx.ip()));
        ctx.status(created.created() ? 201 : 200).json(created.group());
    }

    private void list(Context ctx) throws SQLException {
        Access.requireReader(auth.authenticate(ctx));
        ctx.json(Map.of("groups", groups.list(Requests.intParam(ctx, "limit", 50, 1, 500))));
    }

    private void get(Context ctx) throws SQLException {
        Access.requireReader(auth.authenticate(ctx));
        ctx.json(groups.get(groupId(ctx)));
    }

    /** {@code ?status=&after=<deviceId>&limit=}: by device id; {@code next} is the after of the next page. */
    private void commands(Context ctx) throws SQLException {
        Access.requireReader(auth.authenticate(ctx));
        String raw = ctx.queryParam("status");
        CommandStatus status = raw == null || raw.isEmpty() ? null : CommandStatus.parse(raw);
        if (raw != null && !raw.isEmpty() && status == null) {
            throw Requests.invalid("status", "must be one of pending, delivered, executed, failed, expired, cancelled");
        }
        int limit = Requests.intParam(ctx, "limit", 100, 1, 1000);
        UUID id = groupId(ctx);
        List<CommandView> page = groups.commands(id, status, ctx.queryParam("after"), limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("groupId", id.toString());
        out.put("commands", page);
        out.put("next", page.size() == limit ? page.get(page.size() - 1).deviceId() : null);
        ctx.json(out);
    }

    private void cancel(Context ctx) throws SQLException {
        Principal p = auth.authenticate(ctx);
        Access.requireOperator(p);
        ctx.json(groups.cancel(groupId(ctx), Actor.of(p, ctx.ip())));
    }

    private static UUID groupId(Context ctx) {
        try {
            return UUID.fromString(ctx.pathParam("groupId"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.NOT_FOUND, "no group command " + ctx.pathParam("groupId"));
        }
    }
}
