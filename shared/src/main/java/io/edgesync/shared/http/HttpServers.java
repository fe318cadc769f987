package io.edgesync.shared.http;

import io.edgesync.shared.error.ApiError;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.json.Json;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.edgesync.shared.metrics.HttpServerMeters;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts every EdgeSync HTTP service shares: loopback-or-configured bind address, the one error
 * shape for every status (no HTML error pages, no stack traces), {@code /health/live},
 * {@code /health/ready} and {@code /metrics}, and a timer of every request answered
 * ({@link HttpServerMeters}).
 */
public final class HttpServers {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServers.class);

    private HttpServers() {
    }

    public static Javalin create(String service, PrometheusMeterRegistry metrics, BooleanSupplier ready,
                                 long maxRequestBytes) {
        return create(service, metrics, ready, maxRequestBytes, config -> { });
    }

    /** As above, with liveness that can fail: {@code /health/live} answers 503 while {@code live} is false. */
    public static Javalin create(String service, PrometheusMeterRegistry metrics, BooleanSupplier live,
                                 BooleanSupplier ready, long maxRequestBytes) {
        return create(service, metrics, live, ready, maxRequestBytes, config -> { });
    }

    /** As above, then {@code customize} may add to the server configuration (connectors, thread pool). */
    public static Javalin create(String service, PrometheusMeterRegistry metrics, BooleanSupplier ready,
                                 long maxRequestBytes, Consumer<JavalinConfig> customize) {
        return create(service, metrics, () -> true, ready, maxRequestBytes, customize);
    }

    private static Javalin create(String service, PrometheusMeterRegistry metrics, BooleanSupplier live,
                                  BooleanSupplier ready, long maxRequestBytes, Consumer<JavalinConfig> customize) {
        HttpServerMeters requests = new HttpServerMeters(metrics);
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.requestLogger.http(requests::record);
            config.http.maxRequestSize = maxRequestBytes;
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.useVirtualThreads = false;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonBadMessages()));
            customize.accept(config);
        });
        app.get("/health/live", ctx -> health(ctx, service, live.getAsBoolean()));
        app.get("/health/ready", ctx -> health(ctx, service, ready.getAsBoolean()));
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape()));
        installErrors(app, service);
        return app;
    }

    private static void health(Context ctx, String service, boolean up) {
        ctx.status(up ? 200 : 503).json(Map.of("status", up ? "UP" : "DOWN", "service", service));
    }

    /** Maps every failure to {@link ApiError}; only a defect in our code answers 500. */
    public static void installErrors(Javalin app, String service) {
        app.exception(ApiException.class, (e, ctx) -> respond(ctx, e));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("event=unhandled_error service={} path={}", service, ctx.path(), e);
            respond(ctx, new ApiException(ErrorCode.INTERNAL, "internal error"));
        });
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty() || !ctx.result().startsWith("{\"error\"")) {
                error(ctx, ErrorCode.NOT_FOUND, "no such resource: " + ctx.method() + " " + ctx.path());
            }
        });
        app.error(405, ctx -> error(ctx, ErrorCode.METHOD_NOT_ALLOWED, "method not allowed: " + ctx.method()));
        app.error(413, ctx -> {
            if (ctx.result() == null || !ctx.result().startsWith("{\"error\"")) {
                error(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "request body too large");
            }
        });
    }

    /** The request attribute holding the error code of the refusal {@link #respond} wrote (for audit logs). */
    public static final String ERROR_CODE_ATTRIBUTE = "edgesync.error-code";

    public static void respond(Context ctx, ApiException e) {
        ctx.attribute(ERROR_CODE_ATTRIBUTE, e.code().wire());
        if (e.retryAfter() != null) {
            ctx.header("Retry-After", Long.toString(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
        }
        ctx.status(e.code().status()).contentType("application/json").result(Json.toString(e.toError()));
    }

    private static void error(Context ctx, ErrorCode code, String message) {
        ctx.status(code.status()).contentType("application/json").result(Json.toString(ApiError.of(code, message, null)));
    }
}
