package io.edgesync.agent.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.model.Rejection;
import io.edgesync.shared.model.TelemetryRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/** Posts one gzip batch to the gateway's {@code /api/v1/sync/telemetry} and classifies the answer. */
public final class TelemetryUploader {
    /** What the gateway said of a batch it answered 2xx to. */
    public record Outcome(int accepted, List<Rejection> rejected) {
    }

    private final HttpClient http;
    private final URI endpoint;
    private final Supplier<String> token;
    private final Duration timeout;

    public TelemetryUploader(HttpClient http, String gatewayUrl, Supplier<String> token, Duration timeout) {
        this.http = Objects.requireNonNull(http);
        this.endpoint = URI.create(gatewayUrl.replaceAll("/+$", "") + "/api/v1/sync/telemetry");
        this.token = Objects.requireNonNull(token);
        this.timeout = timeout;
    }

    public Outcome upload(String deviceId, String batchId, List<TelemetryRecord> records) throws UploadException {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("deviceId", deviceId);
        envelope.put("batchId", batchId);
        envelope.put("records", records);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(Json.toBytes(envelope))));
        return parse(CloudCalls.send(http, request, token.get(), "gateway").body());
    }

    private static Outcome parse(byte[] body) throws UploadException {
        try {
            JsonNode root = Json.mapper().readTree(body);
            List<Rejection> rejected = new ArrayList<>();
            for (JsonNode r : root.path("rejected")) {
                rejected.add(Json.mapper().treeToValue(r, Rejection.class));
            }
            return new Outcome(root.path("accepted").asInt(), rejected);
        } catch (IOException e) {
            throw new UploadException("gateway answered 2xx with an unreadable body", 200, true, null, e);
        }
    }

    private static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
