package io.edgesync.dispatcher.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.audit.Actor;
import io.edgesync.dispatcher.audit.AuditEvent;
import io.edgesync.dispatcher.audit.AuditKind;
import io.edgesync.dispatcher.audit.AuditLog;
import io.edgesync.dispatcher.auth.Access;
import io.edgesync.dispatcher.auth.Authenticator;
import io.edgesync.dispatcher.auth.Principal;
import io.edgesync.dispatcher.device.DeviceService;
import io.edgesync.dispatcher.device.DeviceView;
import io.edgesync.dispatcher.device.Heartbeat;
import io.edgesync.dispatcher.device.NewDevice;
import io.edgesync.dispatcher.enroll.EnrollmentGate;
import io.edgesync.shared.auth.RegistryEntry;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.http.BoundedBody;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.model.RecordValidator;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Registry endpoints: registration, device tokens, device list and detail, heartbeat, sync status. */
public final class DeviceRoutes {
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Set<String> STATUSES = Set.of("registered", "online", "offline");

    private final Authenticator auth;
    private final DeviceService devices;
    private final EnrollmentGate gate;
    private final AuditLog audit;
    private final Clock clock;

    public DeviceRoutes(Authenticator auth, DeviceService devices, EnrollmentGate gate, AuditLog audit, Clock clock) {
        this.auth = Objects.requireNonNull(auth);
        this.devices = Objects.requireNonNull(devices);
        this.gate = Objects.requireNonNull(gate);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
    }

    public void install(Javalin app) {
        app.post("/api/v1/devices/register", this::register);
        app.get("/api/v1/devices", this::list);
        app.get("/api/v1/devices/{id}", this::get);
        app.post("/api/v1/devices/{id}/token", this::rotate);
        app.delete("/api/v1/devices/{id}/token", this::revoke);
        app.post("/api/v1/devices/{id}/heartbeat", this::heartbeat);
        app.get("/api/v1/sync/status/{deviceId}", this::syncStatus);
    }

    private void register(Context ctx) throws Exception {
        try {
            registerDevice(ctx);
        } catch (ApiException e) {
            auditRefusal(ctx, e, "deviceId");
            throw e;
        }
    }

    /**
     * Records a refused registration ({@code device.registration_refused}): who (the credential, or
     * anonymous when it was refused), from where, the device id asked for (when the body names a valid
     * one) and the error code.
     */
    void auditRefusal(Context ctx, ApiException e, String... idFields) {
        Principal p = Authenticator.principalOf(ctx);
        Actor actor = p == null ? Actor.anonymous(ctx.ip()) : Actor.of(p, ctx.ip());
        String deviceId = requestedId(ctx, idFields);
        audit.record(AuditEvent.refused(AuditKind.REGISTRATION_REFUSED, actor,
                deviceId == null ? UNNAMED : deviceId, deviceId, e.code().wire(),
                Json.mapper().createObjectNode().put("path", ctx.path()).put("message", e.getMessage()),
                clock.instant()));
    }

    /** The subject of a refused registration that names no valid device id. */
    static final String UNNAMED = "unnamed";

    private static String requestedId(Context ctx, String... fields) {
        try {
            JsonNode body = Json.mapper().readTree(BoundedBody.of(ctx));
            for (String f : fields) {
                String id = body == null ? null : body.path(f).asText(null);
                if (id != null && ID.matcher(id).matches()) {
                    return id;
                }
            }
        } catch (Exception unreadable) {
            // a refusal for a body that is not JSON (or too large) names no device
        }
        return null;
    }

    private void registerDevice(Context ctx) throws Exception {
        Principal p = auth.authenticate(ctx);
        Access.requireEnrollment(p);
        gate.throttle(p);
        JsonNode body = Requests.object(ctx);
        String deviceId = Requests.text(body, "deviceId", false, 128);
        boolean selfEnrolment = !p.isOperator();
        if (deviceId == null && selfEnrolment) {
            deviceId = auth.certificateDevice(ctx); // over mutual TLS the certificate names the device
        }
        if (deviceId != null) {
            Requests.id(deviceId, "deviceId");
            if (selfEnrolment) {
                auth.requireCertificateFor(ctx, deviceId);
            }
        }
        JsonNode metadata = Requests.value(body, "metadata");
        if (metadata != null && !metadata.isObject()) {
            throw Requests.invalid("metadata", "must be a JSON object");
        }
        NewDevice d = new NewDevice(deviceId, Requests.text(body, "name", true, 200),
                Requests.text(body, "deviceType", true, 100), Requests.text(body, "location", false, 200), metadata);
        String previousToken = deviceId == null ? null : Requests.text(body, "previousToken", false, 4096);
        ctx.status(201).json(devices.register(gate.admit(p, d), previousToken, p, Actor.of(p, ctx.ip())));
    }

    private void list(Context ctx) throws Exception {
        Access.requireReader(auth.authenticate(ctx));
        String status = ctx.queryParam("status");
        if (status != null && !STATUSES.contains(status)) {
            throw Requests.invalid("status", "must be one of registered, online, offline");
        }
        int limit = Requests.intParam(ctx, "limit", 100, 1, 1000);
        String after = ctx.queryParam("after");
        List<DeviceView> page = devices.list(status, after, limit);
        Map<String, Object> out = new HashMap<>();
        out.put("devices", page);
        out.put("nextAfter", page.size() == limit ? page.get(page.size() - 1).deviceId() : null);
        ctx.json(out);
    }

    private void get(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        Access.requireReaderOrDevice(auth.authenticate(ctx), id);
        ctx.json(devices.get(id));
    }

    /** Rotation: by an operator, or by the device with its current token. */
    private void rotate(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        Principal p = auth.authenticate(ctx);
        if (p.isDevice(id)) {
            ctx.json(devices.rotate(id, Authenticator.bearer(ctx), Actor.of(p, ctx.ip())));
            return;
        }
        Access.requireOperator(p);
        ctx.json(devices.rotate(id, null, Actor.of(p, ctx.ip())));
    }

    private void revoke(Context ctx) throws Exception {
        Principal p = auth.authenticate(ctx);
        Access.requireOperator(p);
        RegistryEntry entry = devices.revoke(ctx.pathParam("id"), Actor.of(p, ctx.ip()));
        ctx.json(Map.of("deviceId", entry.deviceId(), "tokenStatus", entry.status(),
                "tokenVersion", entry.tokenVersion()));
    }

    void heartbeat(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        Access.requireDevice(auth.authenticate(ctx), id);
        JsonNode body = Requests.object(ctx);
        String lastSyncStatus = Requests.text(body, "lastSyncStatus", false, 20);
        if (lastSyncStatus != null && !Heartbeat.SYNC_STATUSES.contains(lastSyncStatus)) {
            throw Requests.invalid("lastSyncStatus", "must be one of ok, failed, rejected");
        }
        Heartbeat h = new Heartbeat(Requests.number(body, "pendingRecords", 0, Long.MAX_VALUE),
                Requests.text(body, "agentVersion", false, 100),
                Requests.number(body, "configVersion", 0, Long.MAX_VALUE), deviceTime(body), lastSyncStatus,
                Requests.text(body, "lastError", false, 1000));
        ctx.json(devices.heartbeat(id, h));
    }

    private void syncStatus(Context ctx) throws Exception {
        String id = ctx.pathParam("deviceId");
        Access.requireReaderOrDevice(auth.authenticate(ctx), id);
        ctx.json(devices.syncStatus(id));
    }

    /** deviceTime: epoch milliseconds or an ISO-8601 instant. */
    private static Long deviceTime(JsonNode body) {
        JsonNode v = body.get("deviceTime");
        if (v == null || v.isNull()) {
            return null;
        }
        Long millis = null;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            millis = v.asLong();
        } else if (v.isTextual()) {
            try {
                millis = Instant.parse(v.asText()).toEpochMilli();
            } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
                // answered below
            }
        }
        // the range telemetry timestamps have (docs/api.md): 1970-01-01 .. 9999-12-31
        if (millis != null && millis >= RecordValidator.MIN_TIMESTAMP && millis <= RecordValidator.MAX_TIMESTAMP) {
            return millis;
        }
        throw new ApiException(ErrorCode.INVALID_REQUEST, "deviceTime must be epoch milliseconds or an ISO-8601 "
                + "instant from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z", Map.of("field", "deviceTime"), null);
    }
}
