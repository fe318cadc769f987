package io.edgesync.dispatcher.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.audit.Actor;
import io.edgesync.dispatcher.auth.Access;
import io.edgesync.dispatcher.auth.Authenticator;
import io.edgesync.dispatcher.auth.Principal;
import io.edgesync.dispatcher.device.DeviceService;
import io.edgesync.dispatcher.device.IssuedToken;
import io.edgesync.dispatcher.device.NewDevice;
import io.edgesync.dispatcher.enroll.EnrollmentGate;
import io.edgesync.dispatcher.sync.SyncService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The node API: nodes are devices (same registry, tokens and heartbeats); a node also has a region,
 * a tracked sync state and sync plans.
 */
public final class NodeRoutes {
    private static final Set<String> ACK_STATUSES = Set.of("success", "failed");

    private final Authenticator auth;
    private final DeviceService devices;
    private final SyncService sync;
    private final DeviceRoutes deviceRoutes;
    private final EnrollmentGate gate;

    public NodeRoutes(Authenticator auth, DeviceService devices, SyncService sync, DeviceRoutes deviceRoutes,
                      EnrollmentGate gate) {
        this.gate = Objects.requireNonNull(gate);
        this.auth = Objects.requireNonNull(auth);
        this.devices = Objects.requireNonNull(devices);
        this.sync = Objects.requireNonNull(sync);
        this.deviceRoutes = Objects.requireNonNull(deviceRoutes);
    }

    public void install(Javalin app) {
        app.post("/api/v1/nodes/register", this::register);
        app.get("/api/v1/nodes/{id}", this::get);
        app.post("/api/v1/nodes/{id}/heartbeat", deviceRoutes::heartbeat);
        app.get("/api/v1/nodes/{id}/sync", this::plan);
        app.post("/api/v1/nodes/{id}/sync/ack", this::ack);
        app.get("/api/v1/nodes/{id}/sync/history", this::history);
    }

    /** As device registration, with {@code nodeId} for {@code deviceId}, {@code region}, and type "node" by default. */
    private void register(Context ctx) throws Exception {
        try {
            registerNode(ctx);
        } catch (io.edgesync.shared.error.ApiException e) {
            deviceRoutes.auditRefusal(ctx, e, "nodeId", "deviceId");
            throw e;
        }
    }

    private void registerNode(Context ctx) throws Exception {
        Principal p = auth.authenticate(ctx);
        Access.requireEnrollment(p);
        gate.throttle(p);
        JsonNode body = Requests.object(ctx);
        String id = Requests.text(body, "nodeId", false, 128);
        if (id == null) {
            id = Requests.text(body, "deviceId", false, 128);
        }
        if (id != null) {
            Requests.id(id, "nodeId");
        }
        JsonNode metadata = Requests.value(body, "metadata");
        if (metadata != null && !metadata.isObject()) {
            throw Requests.invalid("metadata", "must be a JSON object");
        }
        String region = Requests.text(body, "region", false, 100);
        String type = Requests.text(body, "deviceType", false, 100);
        NewDevice d = new NewDevice(id, Requests.text(body, "name", true, 200), type == null ? "node" : type,
                Requests.text(body, "location", false, 200), metadata);
        String previousToken = id == null ? null : Requests.text(body, "previousToken", false, 4096);
        IssuedToken issued = devices.register(gate.admit(p, d), previousToken, p, Actor.of(p, ctx.ip()));
        if (region != null) {
            sync.setRegion(issued.deviceId(), region);
        }
        ctx.status(201).json(issued);
    }

    private void get(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        Access.requireReaderOrDevice(auth.authenticate(ctx), id);
        ctx.json(sync.node(id));
    }

    private void plan(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        Access.requireDevice(auth.authenticate(ctx), id);
        ctx.json(sync.plan(id));
    }

    private void ack(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        Access.requireDevice(auth.authenticate(ctx), id);
        JsonNode body = Requests.object(ctx);
        String syncId = Requests.text(body, "syncId", true, 64);
        String status = Requests.text(body, "status", true, 20);
        if (!ACK_STATUSES.contains(status)) {
            throw Requests.invalid("status", "must be success or failed");
        }
        String error = Requests.text(body, "error", false, 8000);
        if ("failed".equals(status) && error == null) {
            throw Requests.invalid("error", "is required when status is failed");
        }
        JsonNode retryable = Requests.value(body, "retryable");
        if (retryable != null && !retryable.isBoolean()) {
            throw Requests.invalid("retryable", "must be true or false");
        }
        JsonNode state = Requests.value(body, "state");
        if (state != null && !state.isObject()) {
            throw Requests.invalid("state", "must be a JSON object {schemaVersion, functions}");
        }
        ctx.json(sync.ack(id, new SyncService.Ack(syncId, status, error,
                retryable == null ? null : retryable.asBoolean(), state)));
    }

    private void history(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        Access.requireReaderOrDevice(auth.authenticate(ctx), id);
        int limit = Requests.intParam(ctx, "limit", 20, 1, 500);
        ctx.json(Map.of("nodeId", id, "records", sync.history(id, limit)));
    }
}
