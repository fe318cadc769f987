package io.edgesync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** What a device does over HTTP, for end-to-end tests: enrol with the dispatcher, upload to the gateway. */
final class DeviceHttp {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DeviceHttp() {
    }

    /** Registers {@code deviceId} with the fleet enrollment key; returns its device token. */
    static String enrol(String dispatcherUrl, String enrollmentKey, String deviceId) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(dispatcherUrl + "/api/v1/devices/register"))
                .header("Authorization", "Bearer " + enrollmentKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"" + deviceId + "\",\"name\":\"" + deviceId
                        + "\",\"deviceType\":\"test\"}")));
        if (r.statusCode() != 201) {
            throw new AssertionError("enrol " + deviceId + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return Json.fromBytes(r.body().getBytes(StandardCharsets.UTF_8), JsonNode.class).path("token").asText();
    }

    /** Uploads one record as {@code deviceId}; token null sends no Authorization header. */
    static HttpResponse<String> upload(String gatewayUrl, String token, String deviceId, String recordId)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gatewayUrl + "/api/v1/sync/telemetry"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[{\"id\":\"" + recordId + "\",\"deviceId\":\"" + deviceId
                        + "\",\"sensorId\":\"s\",\"timestamp\":1700000000000,\"dataType\":\"t\",\"value\":1}]"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
