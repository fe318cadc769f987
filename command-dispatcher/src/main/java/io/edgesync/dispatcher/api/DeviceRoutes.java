package io.edgesync.dispatcher.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.auth.Access;
import io.edgesync.dispatcher.auth.Authenticator;
import io.edgesync.dispatcher.auth.Principal;
import io.edgesync.dispatcher.device.DeviceService;
import io.edgesync.dispatcher.device.DeviceView;
import io.edgesync.dispatcher.device.Heartbeat;
import io.edgesync.dispatcher.device.NewDevice;
import io.edgesync.shared.auth.RegistryEntry;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.model.RecordValidator;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Registry endpoints: registration, device tokens, device list and detail, heartbeat, sync status. */
public final class DeviceRoutes {
    private static final Set<String> STATUSES = Set.of("registered", "online", "offline");

    private final Authenticator auth;
    private final DeviceService devices;

    public DeviceRoutes(Authenticator auth, DeviceService devices) {
        this.auth = Objects.requireNonNull(auth);
        this.devices = Objects.requireNonNull(devices);
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
        Access.requireEnrollment(auth.authenticate(ctx));
        JsonNode body = Requests.object(ctx);
        String deviceId = Requests.text(body, "deviceId", false, 128);
        if (deviceId != null) {
            Requests.id(deviceId, "deviceId");
        }
        JsonNode metadata = Requests.value(body, "metadata");
        if (metadata != null && !metadata.isObject()) {
            throw Requests.invalid("metadata", "must be a JSON object");
        }
        NewDevice d = new NewDevice(deviceId, Requests.text(body, "name", true, 200),
                Requests.text(body, "deviceType", true, 100), Requests.text(body, "location", false, 200), metadata);
        String previousToken = deviceId == null ? null : Requests.text(body, "previousToken", false, 4096);
        ctx.status(201).json(devices.register(d, previousToken));
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
            ctx.json(devices.rotate(id, Authenticator.bearer(ctx)));
            return;
        }
        Access.requireOperator(p);
        ctx.json(devices.rotate(id));
    }

    private void revoke(Context ctx) throws Exception {
        Access.requireOperator(auth.authenticate(ctx));
        RegistryEntry entry = devices.revoke(ctx.pathParam("id"));
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
