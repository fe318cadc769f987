package io.edgesync.shared.http;

import io.edgesync.shared.json.Json;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Requests Jetty refuses before any route sees them (a {@code %00} or an ambiguous segment in the
 * path, a URI or headers over the limits) answered in the project's error shape instead of Jetty's
 * HTML page.
 */
final class JsonBadMessages extends ErrorHandler {
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        String code = status == 413 || status == 414 || status == 431 ? "payload_too_large" : "invalid_request";
        byte[] body = Json.toBytes(Map.of("error", Map.of("code", code,
                "message", "the request was refused before routing: " + (reason == null ? "bad request" : reason),
                "details", Map.of("status", status), "retryable", false)));
        return ByteBuffer.wrap(body);
    }
}
