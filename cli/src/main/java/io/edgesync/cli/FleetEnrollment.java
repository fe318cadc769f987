package io.edgesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enrols simulated devices with the dispatcher as real devices do: {@code POST /api/v1/devices/register}
 * with the fleet enrollment key. A device already registered (a demo re-run on the same data directory,
 * answered 409) gets a fresh token by operator rotation instead.
 */
final class FleetEnrollment {
    /** The device type every simulated device registers with (the demo deploys its function to it). */
    static final String DEVICE_TYPE = "demo-sensor";

    private final HttpClient http;
    private final String dispatcherUrl;
    private final String enrollmentKey;
    private final String operatorToken;

    FleetEnrollment(HttpClient http, String dispatcherUrl, String enrollmentKey, String operatorToken) {
        this.http = Objects.requireNonNull(http);
        this.dispatcherUrl = Objects.requireNonNull(dispatcherUrl);
        this.enrollmentKey = Objects.requireNonNull(enrollmentKey);
        this.operatorToken = Objects.requireNonNull(operatorToken);
    }

    /** Device id to device token, for every id; fails on the first device that cannot be enrolled. */
    Map<String, String> enrol(List<String> deviceIds) {
        Map<String, String> tokens = new ConcurrentHashMap<>();
        CompletableFuture.allOf(deviceIds.stream()
                .map(id -> CompletableFuture.runAsync(() -> tokens.put(id, tokenFor(id))))
                .toArray(CompletableFuture[]::new)).join();
        return tokens;
    }

    private String tokenFor(String deviceId) {
        String body = Json.toString(Map.of("deviceId", deviceId, "name", deviceId, "deviceType", DEVICE_TYPE));
        HttpResponse<String> registered = send(HttpRequest.newBuilder(URI.create(dispatcherUrl + "/api/v1/devices/register"))
                .header("Authorization", "Bearer " + enrollmentKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (registered.statusCode() == 409) {
            HttpResponse<String> rotated = send(HttpRequest.newBuilder(
                            URI.create(dispatcherUrl + "/api/v1/devices/" + deviceId + "/token"))
                    .header("Authorization", "Bearer " + operatorToken)
                    .POST(HttpRequest.BodyPublishers.noBody()));
            return token(deviceId, rotated);
        }
        return token(deviceId, registered);
    }

    private static String token(String deviceId, HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("could not enrol " + deviceId + ": HTTP " + response.statusCode() + " "
                    + response.body());
        }
        JsonNode node = Json.fromBytes(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8), JsonNode.class);
        return node.path("token").asText();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("dispatcher unreachable at " + dispatcherUrl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while enrolling devices", e);
        }
    }
}
