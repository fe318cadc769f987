package io.edgesync.agent.sync;

import io.edgesync.shared.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * Posts one gzip batch of table rows ({@code {"version", "values"}} each) to the gateway's
 * {@code POST /api/v1/sync/tables/{table}} and trusts the 2xx answer only as
 * {@link TelemetryUploader#parse} does: it names the batch and accounts for every row sent.
 */
public final class TableRowsUploader {
    private final HttpClient http;
    private final String base;
    private final Supplier<String> token;
    private final Duration timeout;

    public TableRowsUploader(HttpClient http, String gatewayUrl, Supplier<String> token, Duration timeout) {
        this.http = Objects.requireNonNull(http);
        this.base = gatewayUrl.replaceAll("/+$", "") + "/api/v1/sync/tables/";
        this.token = Objects.requireNonNull(token);
        this.timeout = timeout;
    }

    /** @param rows each {@code {"version": n, "values": {...}}} */
    public TelemetryUploader.Outcome upload(String deviceId, String table, String batchId, List<?> rows)
            throws UploadException {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("deviceId", deviceId);
        envelope.put("batchId", batchId);
        envelope.put("rows", rows);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + table))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(Json.toBytes(envelope))));
        return TelemetryUploader.parse(CloudCalls.send(http, request, token.get(), "gateway").body(), batchId,
                rows.size());
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
