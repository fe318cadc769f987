package io.edgesync.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the dispatcher's JSON API in tests. */
final class Api {
    record Response(int status, JsonNode body, String raw, long millis, java.net.http.HttpHeaders headers) {
        Response(int status, JsonNode body, String raw, long millis) {
            this(status, body, raw, millis, java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true));
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String text(String field) {
            return body.path(field).asText(null);
        }

        String errorCode() {
            return body.path("error").path("code").asText(null);
        }
    }

    private final HttpClient http;
    private final String base;

    Api(String base) {
        this(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    /** Over {@code http}, e.g. one with a TLS client certificate. */
    Api(String base, HttpClient http) {
        this.base = base;
        this.http = http;
    }

    Response get(String path, String token) {
        return send("GET", path, token, null);
    }

    Response post(String path, String token, String json) {
        return send("POST", path, token, json);
    }

    Response put(String path, String token, String json) {
        return send("PUT", path, token, json);
    }

    Response delete(String path, String token) {
        return send("DELETE", path, token, null);
    }

    Response send(String method, String path, String token, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        long start = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - start) / 1_000_000;
            JsonNode body = Json.mapper().createObjectNode();
            try {
                if (!r.body().isEmpty()) {
                    body = Json.mapper().readTree(r.body());
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
                // /metrics is text; raw() has it
            }
            return new Response(r.statusCode(), body, r.body(), millis, r.headers());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
