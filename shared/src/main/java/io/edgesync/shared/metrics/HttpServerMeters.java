package io.edgesync.shared.metrics;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code http_server_requests_seconds{method, uri, status, outcome}} for a Javalin server, recorded
 * when each response is complete. {@code uri} is the matched route's template
 * ({@code /api/v1/devices/{deviceId}}), never the path itself, so it stays bounded; a request that
 * matched no route is {@code NOT_FOUND}.
 */
public final class HttpServerMeters {
    public static final String REQUESTS = "http.server.requests";
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final MeterRegistry registry;

    public HttpServerMeters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry);
    }

    public void record(Context ctx, float executionMillis) {
        int status = ctx.statusCode();
        Timer.builder(REQUESTS)
                .tag("method", ctx.method() == HandlerType.INVALID ? "OTHER" : ctx.method().name())
                .tag("uri", uri(ctx, status))
                .tag("status", Integer.toString(status))
                .tag("outcome", outcome(status))
                .description("HTTP requests answered, by route template and status")
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(Duration.ofNanos((long) (executionMillis * 1_000_000d)));
    }

    private static String uri(Context ctx, int status) {
        String template;
        try {
            template = ctx.endpointHandlerPath();
        } catch (RuntimeException none) {
            template = null;
        }
        if (template == null || template.isEmpty() || template.equals("*") || status == 404 && !template.startsWith("/")) {
            return status == 404 ? "NOT_FOUND" : "UNKNOWN";
        }
        return template;
    }

    private static String outcome(int status) {
        return switch (status / 100) {
            case 1 -> "INFORMATIONAL";
            case 2 -> "SUCCESS";
            case 3 -> "REDIRECTION";
            case 4 -> "CLIENT_ERROR";
            case 5 -> "SERVER_ERROR";
            default -> "UNKNOWN";
        };
    }
}
