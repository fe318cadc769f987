package io.edgesync.agent.collect;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.agent.AgentMetrics;
import io.edgesync.agent.EdgeAgent;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.http.BoundedBody;
import io.edgesync.shared.http.HttpServers;
import io.edgesync.shared.http.JsonContentType;
import io.edgesync.shared.json.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code POST /telemetry} on 127.0.0.1, for sensors written in any language: one record or an
 * array, validated like the gateway, stored all or none. 201 {@code {"stored": n}}; 400
 * {@code malformed_body} or {@code invalid_request} (nothing stored); 503 {@code unavailable}
 * with reason {@code store_full} under reject-new. {@code POST /sync-now} starts an upload cycle
 * (telemetry and tables) at once: 202 {@code {"syncRequested": true}}. Every POST is 415 unless its
 * {@code Content-Type} is {@code application/json} (a web page cannot post to it without a CORS preflight,
 * never granted), and 413 past {@link #MAX_BODY_BYTES}, chunked or not, without reading the rest.
 */
public final class LocalIngestServer implements AutoCloseable {
    public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    private final Javalin app;

    private LocalIngestServer(Javalin app) {
        this.app = app;
    }

    public static LocalIngestServer start(EdgeAgent agent, int port) {
        Objects.requireNonNull(agent);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AgentMetrics.bind(metrics, agent);
        Javalin app = HttpServers.create("edge-agent", metrics, () -> true, MAX_BODY_BYTES);
        app.before(ctx -> {
            if (ctx.method() == HandlerType.POST) {
                JsonContentType.require(ctx.contentType());
            }
        });
        BoundedBody.install(app, MAX_BODY_BYTES, Set.of());
        app.post("/telemetry", ctx -> ingest(agent, ctx));
        app.post("/sync-now", ctx -> {
            agent.requestSync();
            ctx.status(202).json(Map.of("syncRequested", true));
        });
        app.start("127.0.0.1", port);
        return new LocalIngestServer(app);
    }

    private static void ingest(EdgeAgent agent, Context ctx) {
        JsonNode body;
        try {
            body = Json.mapper().readTree(BoundedBody.of(ctx));
        } catch (IOException e) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "body is not JSON");
        }
        if (body == null || !(body.isObject() || body.isArray())) {
            throw new ApiException(ErrorCode.MALFORMED_BODY, "body must be a record object or an array of records");
        }
        List<JsonNode> records = new ArrayList<>();
        if (body.isArray()) {
            body.forEach(records::add);
        } else {
            records.add(body);
        }
        int stored = agent.submitJson(records);
        ctx.status(201).json(Map.of("stored", stored, "received", records.size()));
    }

    /** The HTTP server, for tests in this package that go through every route it has. */
    Javalin app() {
        return app;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
