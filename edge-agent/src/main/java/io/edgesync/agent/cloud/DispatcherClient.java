package io.edgesync.agent.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.agent.store.DeviceConfigStore;
import io.edgesync.agent.sync.CloudCalls;
import io.edgesync.agent.sync.UploadException;
import io.edgesync.shared.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The device side of the dispatcher's contract (docs/api.md, command-dispatcher): long-poll
 * commands, acknowledge them, fetch config changes, heartbeat and enrol. Errors come back as
 * {@link UploadException}, classified by HTTP status like uploads.
 */
public final class DispatcherClient {
    /** A command as the dispatcher delivers it. */
    public record Command(String commandId, String commandType, JsonNode payload) {
    }

    /** Config changes after a version. */
    public record ConfigChanges(long version, List<DeviceConfigStore.Change> changes) {
    }

    /** What registration returned. */
    public record Enrollment(String deviceId, String token, String expiresAt) {
    }

    /**
     * The heartbeat body. {@code lastSyncStatus} ({@code ok}, {@code failed}, {@code rejected}) and
     * {@code lastError} are the outcome of the last upload cycle, null before the first one.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Heartbeat(long pendingRecords, String agentVersion, long configVersion, String deviceTime,
                            String lastSyncStatus, String lastError) {
    }

    private final HttpClient http;
    private final String baseUrl;
    private final Supplier<String> token;
    private final Duration timeout;

    public DispatcherClient(HttpClient http, String baseUrl, Supplier<String> token, Duration timeout) {
        this.http = Objects.requireNonNull(http);
        this.baseUrl = Objects.requireNonNull(baseUrl, "agent.dispatcher-url").replaceAll("/+$", "");
        this.token = Objects.requireNonNull(token);
        this.timeout = Objects.requireNonNull(timeout);
    }

    /** Pending commands, oldest first; waits up to {@code wait} for one to exist. */
    public List<Command> pollCommands(String deviceId, Duration wait) throws UploadException {
        JsonNode body = send(get("/api/v1/sync/commands/" + enc(deviceId) + "?wait=" + wait.toSeconds())
                .timeout(timeout.plus(wait)), token.get());
        JsonNode list = body.isArray() ? body : body.path("commands");
        List<Command> out = new ArrayList<>();
        for (JsonNode c : list) {
            out.add(new Command(c.path("commandId").asText(), c.path("commandType").asText(), c.get("payload")));
        }
        return out;
    }

    /** @param result the command's result: text, or JSON (a {@code JsonNode}) */
    public void ack(String commandId, boolean executed, Object result) throws UploadException {
        Map<String, Object> body = Map.of("status", executed ? "executed" : "failed", "result",
                Objects.requireNonNullElse(result, ""));
        send(post("/api/v1/sync/ack/" + enc(commandId), body), token.get());
    }

    /** Config changes after {@code since}; {@code version} is the version they bring the device to. */
    public ConfigChanges configSince(String deviceId, long since) throws UploadException {
        JsonNode body = send(get("/api/v1/sync/config/" + enc(deviceId) + "?since=" + since), token.get());
        long version = body.has("version") ? body.path("version").asLong() : body.path("configVersion").asLong(since);
        List<DeviceConfigStore.Change> changes = new ArrayList<>();
        JsonNode entries = body.has("changes") ? body.get("changes") : body.path("config");
        if (entries.isArray()) {
            for (JsonNode e : entries) {
                changes.add(new DeviceConfigStore.Change(e.path("key").asText(), text(e.get("value"))));
                version = Math.max(version, e.path("version").asLong(0));
            }
        } else if (entries.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                changes.add(new DeviceConfigStore.Change(e.getKey(), text(e.getValue())));
            }
        }
        return new ConfigChanges(version, changes);
    }

    public void heartbeat(String deviceId, Heartbeat heartbeat) throws UploadException {
        send(post("/api/v1/devices/" + enc(deviceId) + "/heartbeat", heartbeat), token.get());
    }

    /** The node's sync plan ({@code GET /api/v1/nodes/{id}/sync}), as the dispatcher answered it. */
    public JsonNode syncPlan(String deviceId) throws UploadException {
        return send(get("/api/v1/nodes/" + enc(deviceId) + "/sync"), token.get());
    }

    /** Acknowledges a plan: {@code {syncId, status, error, retryable, state}}. */
    public void syncAck(String deviceId, Map<String, Object> ack) throws UploadException {
        send(post("/api/v1/nodes/" + enc(deviceId) + "/sync/ack", ack), token.get());
    }

    /** Registers with a fleet enrollment key. */
    public Enrollment register(String enrollmentKey, Map<String, Object> device) throws UploadException {
        JsonNode body = send(post("/api/v1/devices/register", device), enrollmentKey);
        return new Enrollment(body.path("deviceId").asText(), body.path("token").asText(),
                body.path("expiresAt").asText(null));
    }

    private static String text(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isTextual() ? v.asText() : v.toString();
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout).GET();
    }

    private HttpRequest.Builder post(String path, Object body) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.toBytes(body)));
    }

    private JsonNode send(HttpRequest.Builder request, String bearer) throws UploadException {
        return parse(CloudCalls.send(http, request, bearer, "dispatcher").body());
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? Json.mapper().createObjectNode() : Json.mapper().readTree(body);
        } catch (IOException e) {
            return Json.mapper().createObjectNode();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
