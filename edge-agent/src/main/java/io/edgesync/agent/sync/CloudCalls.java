package io.edgesync.agent.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.json.Json;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One HTTP call from the agent to the control plane (gateway or dispatcher), classified the same
 * way for both: a transport failure is a retryable {@link UploadException} with status 0; a non-2xx
 * answer is an {@link UploadException} carrying the status, its retryability and {@code Retry-After}.
 */
public final class CloudCalls {
    private CloudCalls() {
    }

    /** Sends {@code request} (with the bearer token when there is one); returns only a 2xx response. */
    public static HttpResponse<byte[]> send(HttpClient http, HttpRequest.Builder request, String bearer, String peer)
            throws UploadException {
        if (bearer != null && !bearer.isBlank()) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UploadException(peer + " unreachable: " + e, 0, true, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UploadException("interrupted", 0, false, null, e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response;
        }
        Duration retryAfter = response.headers().firstValue("Retry-After").flatMap(RetryAfter::parse).orElse(null);
        throw new UploadException(peer + " answered " + status + ": " + errorMessage(response.body()), status,
                UploadException.retryableStatus(status), retryAfter, null);
    }

    /** "code message" from the error shape every EdgeSync service answers with. */
    static String errorMessage(byte[] body) {
        try {
            JsonNode error = Json.mapper().readTree(body).path("error");
            return error.path("code").asText("?") + " " + error.path("message").asText("");
        } catch (IOException | RuntimeException e) {
            return "(no error body)";
        }
    }
}
