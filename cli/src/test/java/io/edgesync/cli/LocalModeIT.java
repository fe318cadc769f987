package io.edgesync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** {@code edgesync local}: the control plane on a data directory that survives restarts. */
class LocalModeIT {

    @Test
    void dataSurvivesARestartOnTheSameDataDirectory() throws Exception {
        Path home = TempDirs.create("local-");
        String previousHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        ControlPlane.Options options = new ControlPlane.Options(home.resolve("data"), 0, 0, 0, 0, null, true);
        String credentialLines;
        String functionId;
        try {
            // GIVEN a record accepted by a running local control plane
            try (ControlPlane plane = ControlPlane.start(options)) {
                String lines = plane.addressLines();
                assertTrue(lines.matches("(?s)gateway=http://127\\.0\\.0\\.1:\\d+\\ndispatcher=http://127\\.0\\.0\\.1:\\d+\\n"
                        + "kafka=127\\.0\\.0\\.1:\\d+\\njdbc=jdbc:postgresql://127\\.0\\.0\\.1:\\d+/postgres\\?user=postgres\\n"
                        + "s3=http://127\\.0\\.0\\.1:\\d+\\n"
                        + "operator-token=[A-Za-z0-9_-]{20,}\\nenrollment-key=[A-Za-z0-9_-]{20,}\\n"), lines);
                credentialLines = credentialLines(lines);
                // (devices authenticate with a token the dispatcher issues against the printed enrollment key)
                assertEquals(401, DeviceHttp.upload(plane.gatewayUrl(), null, "local-1", "r0").statusCode());
                String token = DeviceHttp.enrol(plane.dispatcherUrl(), plane.credentials().enrollmentKey(), "local-1");
                HttpResponse<String> response = DeviceHttp.upload(plane.gatewayUrl(), token, "local-1", "r1");
                assertEquals(200, response.statusCode(), response.body());
                Await.equalTo(Duration.ofSeconds(60), () -> count(plane.jdbcUrl()), 1L, "rows in telemetry_data");
                // (and a function artifact goes to the embedded S3-compatible store)
                HttpResponse<String> stored = uploadFunction(plane);
                assertEquals(201, stored.statusCode(), stored.body());
                functionId = Json.mapper().readTree(stored.body()).path("id").asText();
            }
            // WHEN it is started again on the same data directory
            try (ControlPlane plane = ControlPlane.start(options)) {
                // THEN the database row and the Kafka record are still there
                assertEquals(1L, count(plane.jdbcUrl()));
                assertEquals(1, KafkaTopics.readAll(plane.kafkaBootstrap(), Topics.TELEMETRY_RAW.name()).size());
                // AND the operator token and enrollment key are the ones printed before
                assertEquals(credentialLines, credentialLines(plane.addressLines()));
                HttpResponse<String> devices = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create(plane.dispatcherUrl() + "/api/v1/devices"))
                        .header("Authorization", "Bearer " + plane.credentials().operatorToken()).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, devices.statusCode(), devices.body());
                // AND the function's bytes are still served through a signed URL of the embedded store
                HttpResponse<String> redirect = HTTP.send(HttpRequest.newBuilder(URI.create(plane.dispatcherUrl()
                                + "/api/v1/functions/" + functionId + "/download"))
                        .header("Authorization", "Bearer " + plane.credentials().operatorToken()).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(307, redirect.statusCode(), redirect.body());
                HttpResponse<byte[]> bytes = HTTP.send(HttpRequest.newBuilder(URI.create(
                        redirect.headers().firstValue("Location").orElseThrow())).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, bytes.statusCode());
                assertArrayEquals(MODULE, bytes.body());
            }
        } finally {
            System.setProperty("user.home", previousHome);
            TempDirs.deleteRecursively(home);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** The smallest module with the edge ABI's exports: memory, alloc(i32)->i32, process(i32,i32)->i64. */
    private static final byte[] MODULE = HexFormat.of().parseHex("0061736d01000000" + "010c0260017f017f60027f7f017e"
            + "030302000105030100010" + "71c03066d656d6f7279020005616c6c6f6300000770726f636573730001"
            + "0a0b02040041000b040042010b");

    private static HttpResponse<String> uploadFunction(ControlPlane plane) throws Exception {
        String boundary = "edgesync-local-it";
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nlocal-fn\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n1\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"function.wasm\"\r\n"
                + "Content-Type: application/wasm\r\n\r\n";
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(MODULE);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create(plane.dispatcherUrl() + "/api/v1/functions"))
                .header("Authorization", "Bearer " + plane.credentials().operatorToken())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String credentialLines(String lines) {
        return lines.lines().filter(l -> l.startsWith("operator-token=") || l.startsWith("enrollment-key="))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    private static long count(String jdbcUrl) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM telemetry_data")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
