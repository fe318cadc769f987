package io.edgesync.agent.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.json.Json;
import io.javalin.Javalin;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A small real HTTP server on 127.0.0.1 that answers {@code POST /api/v1/sync/telemetry} from a
 * script (status, Retry-After), then 200 accepting everything. Only for tests of the agent's
 * client behaviour on statuses the real gateway cannot be made to send on demand (400, 401, 5xx);
 * every end-to-end test uses the real gateway.
 */
final class ScriptedGateway implements AutoCloseable {
    /** One scripted answer. */
    record Answer(int status, Integer retryAfterSeconds) {
    }

    /** A request as received. */
    record Received(long atMillis, String contentEncoding, JsonNode body) {
    }

    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Javalin app;

    ScriptedGateway() {
        app = Javalin.create(c -> c.showJavalinBanner = false);
        app.post("/api/v1/sync/telemetry", ctx -> {
            JsonNode body = Json.mapper().readTree(gunzip(ctx.bodyAsBytes()));
            received.add(new Received(System.currentTimeMillis(), ctx.header("Content-Encoding"), body));
            Answer a = script.poll();
            if (a == null) {
                ctx.json(Map.of("batchId", body.path("batchId").asText(), "accepted", body.path("records").size(),
                        "rejected", List.of()));
                return;
            }
            if (a.retryAfterSeconds() != null) {
                ctx.header("Retry-After", a.retryAfterSeconds().toString());
            }
            ctx.status(a.status()).json(Map.of("error", Map.of("code", "scripted", "message", "scripted " + a.status(),
                    "retryable", a.status() == 429 || a.status() >= 500)));
        });
        app.start("127.0.0.1", 0);
    }

    ScriptedGateway then(int status, Integer retryAfterSeconds) {
        script.add(new Answer(status, retryAfterSeconds));
        return this;
    }

    List<Received> received() {
        return received;
    }

    String url() {
        return "http://127.0.0.1:" + app.port();
    }

    private static byte[] gunzip(byte[] body) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
