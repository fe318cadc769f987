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
        return parse(CloudCalls.send(http, request, token.get(), "gateway").body(), batchId, records.size());
    }

    /**
     * The answer, trusted only when well formed: it names this batch and accounts for every record
     * sent (accepted + rejected = sent, each rejection a distinct index of the batch). Anything else
     * is a retryable failure, so nothing is marked synced on the word of a garbled or foreign answer.
     */
    static Outcome parse(byte[] body, String batchId, int sent) throws UploadException {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw malformed("an unreadable body", e);
        }
        if (root == null || !root.isObject() || !root.path("batchId").isTextual()
                || !root.path("batchId").asText().equals(batchId)) {
            throw malformed("a body that does not name batch " + batchId, null);
        }
        JsonNode accepted = root.path("accepted");
        JsonNode rejectedNode = root.path("rejected");
        if (!accepted.isIntegralNumber() || !accepted.canConvertToInt() || accepted.asInt() < 0
                || !rejectedNode.isArray() || accepted.asInt() + rejectedNode.size() != sent) {
            throw malformed("a body that does not account for the " + sent + " records sent", null);
        }
        List<Rejection> rejected = new ArrayList<>();
        java.util.Set<Integer> indexes = new java.util.HashSet<>();
        for (JsonNode r : rejectedNode) {
            JsonNode index = r.path("index");
            if (!index.canConvertToInt() || !index.isIntegralNumber() || index.asInt() < 0 || index.asInt() >= sent
                    || !indexes.add(index.asInt()) || !r.path("code").isTextual()) {
                throw malformed("a rejection without a distinct index of the batch and a code", null);
            }
            try {
                rejected.add(Json.mapper().treeToValue(r, Rejection.class));
            } catch (IOException e) {
                throw malformed("an unreadable rejection", e);
            }
        }
        return new Outcome(accepted.asInt(), rejected);
    }

    private static UploadException malformed(String what, Throwable cause) {
        return new UploadException("gateway answered 2xx with " + what + "; retrying", 200, true, null, cause);
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
