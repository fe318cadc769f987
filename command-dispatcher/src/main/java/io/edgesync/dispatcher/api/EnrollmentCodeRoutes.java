package io.edgesync.dispatcher.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.audit.Actor;
import io.edgesync.dispatcher.auth.Access;
import io.edgesync.dispatcher.auth.Authenticator;
import io.edgesync.dispatcher.auth.Principal;
import io.edgesync.dispatcher.enroll.EnrollmentCodeView;
import io.edgesync.dispatcher.enroll.EnrollmentCodes;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** One-time enrollment codes: create for a device id, list, revoke by id (role operator only). */
public final class EnrollmentCodeRoutes {
    private static final long MAX_SECONDS = Duration.ofDays(3650).toSeconds();

    private final Authenticator auth;
    private final EnrollmentCodes codes;

    public EnrollmentCodeRoutes(Authenticator auth, EnrollmentCodes codes) {
        this.auth = Objects.requireNonNull(auth);
        this.codes = Objects.requireNonNull(codes);
    }

    public void install(Javalin app) {
        app.post("/api/v1/enrollment-codes", this::create);
        app.get("/api/v1/enrollment-codes", this::list);
        app.delete("/api/v1/enrollment-codes/{codeId}", this::revoke);
    }

    private void create(Context ctx) throws Exception {
        Principal p = auth.authenticate(ctx);
        Access.requireOperator(p);
        JsonNode body = Requests.object(ctx);
        String deviceId = Requests.id(Requests.text(body, "deviceId", true, 128), "deviceId");
        Long ttl = Requests.number(body, "ttlSeconds", 1, MAX_SECONDS);
        EnrollmentCodes.Created c = codes.create(Actor.of(p, ctx.ip()), deviceId,
                ttl == null ? null : Duration.ofSeconds(ttl));
        ctx.status(201).json(Map.of("code", c.code(), "codeId", c.view().codeId(), "deviceId", deviceId,
                "expiresAt", c.view().expiresAt()));
    }

    private void list(Context ctx) throws Exception {
        Access.requireOperator(auth.authenticate(ctx));
        String deviceId = ctx.queryParam("deviceId");
        if (deviceId != null) {
            Requests.id(deviceId, "deviceId");
        }
        int limit = Requests.intParam(ctx, "limit", 100, 1, 1000);
        String after = ctx.queryParam("after");
        UUID afterId;
        try {
            afterId = after == null || after.isEmpty() ? null : UUID.fromString(after);
        } catch (IllegalArgumentException e) {
            throw Requests.invalid("after", "must be a codeId");
        }
        List<EnrollmentCodeView> page = codes.list(deviceId, afterId, limit);
        Map<String, Object> out = new HashMap<>();
        out.put("codes", page);
        out.put("nextAfter", page.size() == limit ? page.get(page.size() - 1).codeId() : null);
        ctx.json(out);
    }

    private void revoke(Context ctx) throws Exception {
        Principal p = auth.authenticate(ctx);
        Access.requireOperator(p);
        UUID id;
        try {
            id = UUID.fromString(ctx.pathParam("codeId"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.NOT_FOUND, "no enrollment code " + ctx.pathParam("codeId"));
        }
        ctx.json(codes.revoke(Actor.of(p, ctx.ip()), id));
    }
}
