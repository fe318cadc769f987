package io.edgesync.dispatcher.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.audit.Actor;
import io.edgesync.dispatcher.auth.Access;
import io.edgesync.dispatcher.auth.Authenticator;
import io.edgesync.dispatcher.auth.Principal;
import io.edgesync.dispatcher.deploy.DeploymentService;
import io.edgesync.dispatcher.deploy.DeploymentView;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Objects;

/**
 * Deployments: {@code PUT /api/v1/deployments} assigns a function version to a selector (one device,
 * a device type, or a label key=value of the device's metadata.labels) with an order; list, get,
 * the rollout over the selected devices, the audit trail, and {@code DELETE /api/v1/deployments/{id}}
 * (undeploy). Devices pick changes up with their next sync plan.
 */
public final class DeploymentRoutes {
    private final Authenticator auth;
    private final DeploymentService deployments;

    public DeploymentRoutes(Authenticator auth, DeploymentService deployments) {
        this.auth = Objects.requireNonNull(auth);
        this.deployments = Objects.requireNonNull(deployments);
    }

    public void install(Javalin app) {
        app.put("/api/v1/deployments", this::put);
        app.get("/api/v1/deployments", this::list);
        app.get("/api/v1/deployments/audit", this::audit);
        app.get("/api/v1/deployments/{id}", this::get);
        app.get("/api/v1/deployments/{id}/devices", this::rollout);
        app.delete("/api/v1/deployments/{id}", this::delete);
    }

    private void put(Context ctx) throws Exception {
        Principal p = auth.authenticate(ctx);
        Access.requireOperator(p);
        JsonNode body = Requests.object(ctx);
        String functionId = Requests.text(body, "functionId", true, 64);
        DeploymentView.Selector selector = Selectors.single(Requests.value(body, "selector"));
        Long order = Requests.number(body, "order", 0, 1_000_000);
        DeploymentService.Put put = deployments.put(functionId, selector, order == null ? 0 : order.intValue(),
                Actor.of(p, ctx.ip()));
        ctx.status(put.created() ? 201 : 200).json(put.deployment());
    }

    private void list(Context ctx) throws Exception {
        Access.requireReader(auth.authenticate(ctx));
        ctx.json(Map.of("deployments", deployments.list(ctx.queryParam("functionId"),
                Requests.intParam(ctx, "limit", 500, 1, 5000))));
    }

    private void get(Context ctx) throws Exception {
        Access.requireReader(auth.authenticate(ctx));
        ctx.json(deployments.get(ctx.pathParam("id")));
    }

    private void rollout(Context ctx) throws Exception {
        Access.requireReader(auth.authenticate(ctx));
        ctx.json(deployments.rollout(ctx.pathParam("id"), Requests.intParam(ctx, "limit", 500, 1, 5000)));
    }

    private void audit(Context ctx) throws Exception {
        Access.requireReader(auth.authenticate(ctx));
        ctx.json(Map.of("events", deployments.audit(ctx.queryParam("deploymentId"),
                Requests.intParam(ctx, "limit", 100, 1, 1000))));
    }

    private void delete(Context ctx) throws Exception {
        Principal p = auth.authenticate(ctx);
        Access.requireOperator(p);
        deployments.delete(ctx.pathParam("id"), Actor.of(p, ctx.ip()));
        ctx.status(204);
    }
}
