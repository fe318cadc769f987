package io.edgesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.testsupport.TempDirs;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens across services: the dispatcher issues and revokes, the running gateway (which never
 * touches the database) learns of the revocation through {@code device.registry} within 5 s.
 */
class DeviceTokenRevocationIT {
    static Path dir;
    static ControlPlane plane;

    @BeforeAll
    static void start() {
        dir = TempDirs.create("revocation-");
        plane = ControlPlane.start(new ControlPlane.Options(dir, 0, 0, 0, 0, null, false));
    }

    @AfterAll
    static void stop() {
        if (plane != null) {
            plane.close();
        }
        TempDirs.deleteRecursively(dir);
    }

    @Test
    void aRevokedTokenIsRefusedByTheRunningGatewayWithinFiveSeconds() throws Exception {
        // GIVEN a device enrolled with the dispatcher whose token the gateway accepts
        String token = DeviceHttp.enrol(plane.dispatcherUrl(), plane.credentials().enrollmentKey(), "revoked-1");
        HttpResponse<String> before = DeviceHttp.upload(plane.gatewayUrl(), token, "revoked-1", "r1");
        assertEquals(200, before.statusCode(), before.body());

        // WHEN an operator revokes it at the dispatcher
        HttpResponse<String> revoked = DeviceHttp.send(HttpRequest.newBuilder(
                        URI.create(plane.dispatcherUrl() + "/api/v1/devices/revoked-1/token"))
                .header("Authorization", "Bearer " + plane.credentials().operatorToken()).DELETE());
        assertEquals(200, revoked.statusCode(), revoked.body());
        long revokedAt = System.nanoTime();

        // THEN the gateway refuses the token with 403 within 5 s
        int status;
        String body;
        do {
            HttpResponse<String> r = DeviceHttp.upload(plane.gatewayUrl(), token, "revoked-1", "r2");
            status = r.statusCode();
            body = r.body();
            if (status == 403) {
                break;
            }
            assertEquals(200, status, body);
            Thread.sleep(100);
        } while (System.nanoTime() - revokedAt < 5_000_000_000L);
        long tookMs = (System.nanoTime() - revokedAt) / 1_000_000;
        System.out.println("revocation-to-403 ms=" + tookMs);
        assertEquals(403, status, "still accepted " + tookMs + " ms after revocation: " + body);
        assertTrue(body.contains("\"retryable\":false"), body);

        // AND a token rotated afterwards by the operator is accepted again
        HttpResponse<String> rotated = DeviceHttp.send(HttpRequest.newBuilder(
                        URI.create(plane.dispatcherUrl() + "/api/v1/devices/revoked-1/token"))
                .header("Authorization", "Bearer " + plane.credentials().operatorToken())
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, rotated.statusCode(), rotated.body());
        String fresh = io.edgesync.shared.json.Json.fromBytes(rotated.body().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                com.fasterxml.jackson.databind.JsonNode.class).path("token").asText();
        io.edgesync.testsupport.Await.equalTo(java.time.Duration.ofSeconds(10),
                () -> DeviceHttp.upload(plane.gatewayUrl(), fresh, "revoked-1", "r3").statusCode(), 200,
                "status for the rotated token");
    }
}
