package io.edgesync.dispatcher.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.audit.Actor;
import io.edgesync.dispatcher.auth.Access;
import io.edgesync.dispatcher.auth.Authenticator;
import io.edgesync.dispatcher.auth.OperatorTokenView;
import io.edgesync.dispatcher.auth.OperatorTokens;
import io.edgesync.dispatcher.auth.Principal;
import io.edgesync.shared.auth.Tokens;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Operator and viewer API tokens: issue, list, revoke by id (role operator only). */
public final class OperatorTokenRoutes {
    private static final long MAX_SECONDS = Duration.ofDays(3650).toSeconds();

    private final Authenticator auth;
    private final OperatorTokens tokens;

    public OperatorTokenRoutes(Authenticator auth, OperatorTokens tokens) {
        this.auth = Objects.requireNonNull(auth);
        this.tokens = Objects.requireNonNull(tokens);
    }

    public void install(Javalin app) {
        app.post("/api/v1/operator-tokens", this::issue);
        app.get("/api/v1/operator-tokens", this::list);
        app.delete("/api/v1/operator-tokens/{tokenId}", this::revoke);
    }

    private void issue(Context ctx) throws Exception {
        Principal p = auth.authenticate(ctx);
        Access.requireOperator(p);
        JsonNode body = Requests.object(ctx);
        String name = Requests.text(body, "name", true, 100);
        String role = Requests.text(body, "role", true, 20);
        Long ttl = Requests.number(body, "ttlSeconds", 1, MAX_SECONDS);
        Tokens.Issued issued = tokens.issue(Actor.of(p, ctx.ip()), name, role, ttl == null ? null : Duration.ofSeconds(ttl));
        ctx.status(201).json(Map.of("token", issued.token(), "tokenId", issued.claims().tokenId(), "name", name,
                "role", role, "expiresAt", issued.claims().expiresAt().toString()));
    }

    private void list(Context ctx) throws Exception {
        Access.requireOperator(auth.authenticate(ctx));
        int limit = Requests.intParam(ctx, "limit", 100, 1, 1000);
        List<OperatorTokenView> page = tokens.list(ctx.queryParam("after"), limit);
        Map<String, Object> out = new HashMap<>();
        out.put("tokens", page);
        out.put("nextAfter", page.size() == limit ? page.get(page.size() - 1).tokenId() : null);
        ctx.json(out);
    }

    private void revoke(Context ctx) throws Exception {
        Principal p = auth.authenticate(ctx);
        Access.requireOperator(p);
        ctx.json(tokens.revoke(Actor.of(p, ctx.ip()), ctx.pathParam("tokenId")));
    }
}
