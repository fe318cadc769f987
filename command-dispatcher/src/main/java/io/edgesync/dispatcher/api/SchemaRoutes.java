package io.edgesync.dispatcher.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.auth.Access;
import io.edgesync.dispatcher.auth.Authenticator;
import io.edgesync.dispatcher.auth.Principal;
import io.edgesync.dispatcher.schema.SchemaService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Objects;

/** Edge schema migrations: registration (operator) and the list (operators and devices). */
public final class SchemaRoutes {
    private static final int MAX_SQL = 256 * 1024;

    private final Authenticator auth;
    private final SchemaService schemas;

    public SchemaRoutes(Authenticator auth, SchemaService schemas) {
        this.auth = Objects.requireNonNull(auth);
        this.schemas = Objects.requireNonNull(schemas);
    }

    public void install(Javalin app) {
        app.post("/api/v1/schemas", this::register);
        app.get("/api/v1/schemas", this::list);
    }

    private void register(Context ctx) throws Exception {
        Principal p = auth.authenticate(ctx);
        Access.requireOperator(p);
        JsonNode body = Requests.object(ctx);
        Long version = Requests.number(body, "version", 1, Long.MAX_VALUE);
        if (version == null) {
            throw Requests.invalid("version", "is required");
        }
        SchemaService.Registered r = schemas.register(version, Requests.text(body, "description", true, 1000),
                Requests.text(body, "upSql", true, MAX_SQL), Requests.text(body, "downSql", false, MAX_SQL),
                p.subject());
        ctx.status(r.created() ? 201 : 200).json(r.schema());
    }

    private void list(Context ctx) throws Exception {
        Principal p = auth.authenticate(ctx);
        if (p.kind() != Principal.Kind.DEVICE) {
            Access.requireReader(p);
        }
        ctx.json(Map.of("schemas", schemas.list()));
    }
}
