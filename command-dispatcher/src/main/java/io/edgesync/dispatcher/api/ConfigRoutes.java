package io.edgesync.dispatcher.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.audit.Actor;
import io.edgesync.dispatcher.auth.Access;
import io.edgesync.dispatcher.auth.Authenticator;
import io.edgesync.dispatcher.auth.Principal;
import io.edgesync.dispatcher.config.ConfigService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.Objects;
import java.util.regex.Pattern;

/** Config endpoints: operators set desired keys; devices fetch what changed since a version. */
public final class ConfigRoutes {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final Authenticator auth;
    private final ConfigService configs;

    public ConfigRoutes(Authenticator auth, ConfigService configs) {
        this.auth = Objects.requireNonNull(auth);
        this.configs = Objects.requireNonNull(configs);
    }

    public void install(Javalin app) {
        app.put("/api/v1/devices/{id}/config/{key}", this::put);
        app.get("/api/v1/devices/{id}/config", this::desiredAndReported);
        app.get("/api/v1/sync/config/{deviceId}", this::since);
    }

    private void put(Context ctx) throws SQLException {
        Principal p = auth.authenticate(ctx);
        Access.requireOperator(p);
        String key = ctx.pathParam("key");
        if (!KEY.matcher(key).matches()) {
            throw Requests.invalid("key", "must be 1-128 characters of letters, digits, '.', '_' or '-'");
        }
        JsonNode body = Requests.object(ctx);
        if (!body.has("value")) {
            throw Requests.invalid("value", "is required (any JSON value)");
        }
        ctx.json(configs.put(ctx.pathParam("id"), key, body.get("value"), Actor.of(p, ctx.ip())));
    }

    private void desiredAndReported(Context ctx) throws SQLException {
        String id = ctx.pathParam("id");
        Access.requireReaderOrDevice(auth.authenticate(ctx), id);
        ctx.json(configs.desiredAndReported(id));
    }

    private void since(Context ctx) throws SQLException {
        String id = ctx.pathParam("deviceId");
        Access.requireReaderOrDevice(auth.authenticate(ctx), id);
        int since = Requests.intParam(ctx, "since", 0, 0, Integer.MAX_VALUE);
        ctx.json(configs.since(id, since));
    }
}
