package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.embedded.S3Server;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.json.Json;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The artifact API against a real PostgreSQL and a real S3-compatible server (S3Proxy, SigV4): upload,
 * metadata, download through the signed URL, immutability, refusals, deletion.
 */
class FunctionArtifactsIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension(1);
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static final Path S3_DIR = TempDirs.create("s3-");
    static S3Server s3;
    static Harness h;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** A minimal module exporting memory, alloc(i32)->i32 and process(i32,i32)->i64; {@code k} (0-63) is process's result. */
    static byte[] module(int k) {
        return bytes(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
                0x01, 0x0c, 0x02, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7e,
                0x03, 0x03, 0x02, 0x00, 0x01,
                0x05, 0x03, 0x01, 0x00, 0x01,
                0x07, 0x1c, 0x03,
                0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00,
                0x05, 'a', 'l', 'l', 'o', 'c', 0x00, 0x00,
                0x07, 'p', 'r', 'o', 'c', 'e', 's', 's', 0x00, 0x01,
                0x0a, 0x0b, 0x02, 0x04, 0x00, 0x41, 0x00, 0x0b, 0x04, 0x00, 0x42, k, 0x0b);
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @BeforeAll
    static void start() {
        s3 = S3Server.start(S3_DIR, 0);
        h = new Harness(KAFKA.bootstrapServers(), PG.jdbcUrl(), storage(s3, Map.of(
                "functions.max-size-bytes", "4096")));
    }

    static Map<String, String> storage(S3Server s3, Map<String, String> extra) {
        java.util.HashMap<String, String> m = new java.util.HashMap<>(Map.of(
                "storage.s3.endpoint", s3.endpoint(),
                "storage.s3.access-key", S3Server.ACCESS_KEY,
                "storage.s3.secret-key", S3Server.SECRET_KEY));
        m.putAll(extra);
        return m;
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
        if (s3 != null) {
            s3.close();
        }
        TempDirs.deleteRecursively(S3_DIR);
    }

    @Test
    void uploadedModuleHasMetadataAndDownloadsThroughSignedUrlWithItsHash() throws Exception {
        byte[] wasm = module(1);
        Api.Response up = upload(h, "scale", "1.0.0", wasm);
        assertEquals(201, up.status(), up.raw());
        assertEquals(sha256(wasm), up.text("hash"));
        assertEquals(wasm.length, up.body().path("sizeBytes").asLong());
        assertNotNull(up.text("createdAt"));

        Api.Response meta = h.api.get("/api/v1/functions/" + up.text("id"), h.operator());
        assertEquals(200, meta.status(), meta.raw());
        assertEquals("scale", meta.text("name"));
        assertEquals("1.0.0", meta.text("version"));
        assertEquals(up.text("hash"), meta.text("hash"));
        Api.Response list = h.api.get("/api/v1/functions?name=scale", h.viewer());
        assertEquals(1, list.body().path("functions").size(), list.raw());

        String url = signedUrl(h, up.text("id"));
        assertTrue(url.contains("wasm-functions/scale/1.0.0/function.wasm"), url);
        HttpResponse<byte[]> got = fetch(url);
        assertEquals(200, got.statusCode());
        assertEquals(up.text("hash"), sha256(got.body()));
    }

    @Test
    void sameBytesAgainAre200WithTheSameIdAndOtherBytesAre409() {
        Api.Response first = upload(h, "filter", "2", module(1));
        assertEquals(201, first.status(), first.raw());
        Api.Response again = upload(h, "filter", "2", module(1));
        assertEquals(200, again.status(), again.raw());
        assertEquals(first.text("id"), again.text("id"));
        Api.Response other = upload(h, "filter", "2", module(2));
        assertEquals(409, other.status(), other.raw());
        assertEquals("conflict", other.errorCode());
    }

    @Test
    void tamperedAndExpiredUrlsAreRefused() throws Exception {
        Api.Response up = upload(h, "tamper", "1", module(1));
        String url = signedUrl(h, up.text("id"));
        String tampered = url.replace("tamper/1", "tamper/2");
        assertEquals(403, fetch(tampered).statusCode());
        int i = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        String flipped = url.substring(0, i) + (url.charAt(i) == 'a' ? 'b' : 'a') + url.substring(i + 1);
        assertEquals(403, fetch(flipped).statusCode());

        try (Harness shortLived = new Harness(h, storage(s3, Map.of("functions.download-url-ttl", "1s")))) {
            String soon = signedUrl(shortLived, up.text("id"));
            assertEquals(200, fetch(soon).statusCode());
            int status = Await.until(Duration.ofSeconds(20), () -> fetch(soon).statusCode(), s -> s == 403,
                    "the 1 s URL to be refused once expired");
            assertEquals(403, status);
        }
    }

    @Test
    void notWebAssemblyIs400AndOversizeIs413InTheErrorShape() {
        Api.Response text = upload(h, "bad", "1", "hello".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, text.status(), text.raw());
        assertEquals("invalid_request", text.errorCode());
        assertEquals("file", text.body().path("error").path("details").path("field").asText());
        byte[] truncated = java.util.Arrays.copyOf(module(1), 30);
        Api.Response broken = upload(h, "bad", "2", truncated);
        assertEquals(400, broken.status(), broken.raw());
        Api.Response noExports = upload(h, "bad", "3", bytes(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00));
        assertEquals(400, noExports.status(), noExports.raw());
        assertTrue(noExports.body().path("error").path("message").asText().contains("memory"), noExports.raw());
        Api.Response big = upload(h, "big", "1", new byte[8192]);
        assertEquals(413, big.status(), big.raw());
        assertEquals("payload_too_large", big.errorCode());
        Api.Response badName = upload(h, "../etc", "1", module(1));
        assertEquals(400, badName.status(), badName.raw());
    }

    @Test
    void aModuleBreakingTheAbiIs400NamingWhatIsWrong() throws Exception {
        // GIVEN modules that are WebAssembly but break the edge ABI (the agent would refuse them at load)
        byte[] memoryOnly = bytes(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01,
                0x07, 0x0a, 0x01, 0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00);
        Path fixtures = Path.of(System.getProperty("user.dir")).getParent().resolve("examples/functions/fixtures");
        Map<String, byte[]> modules = Map.of(
                "no-alloc", memoryOnly,
                "wrong-signature", java.nio.file.Files.readAllBytes(fixtures.resolve("wrongsig.wasm")),
                "imports", java.nio.file.Files.readAllBytes(fixtures.resolve("importer.wasm")));
        Map<String, String> expected = Map.of(
                "no-alloc", "does not export function 'alloc'",
                "wrong-signature", "export 'process' is (i32, i32) -> i32; the edge ABI needs (i32, i32) -> i64",
                "imports", "imports wasi_snapshot_preview1.fd_write; edge functions may import nothing");
        for (Map.Entry<String, byte[]> m : modules.entrySet()) {
            // WHEN each is uploaded
            Api.Response r = upload(h, "abi-" + m.getKey(), "1", m.getValue());
            // THEN it is refused with 400 in the error shape, naming the ABI problem, and nothing is stored
            assertEquals(400, r.status(), m.getKey() + ": " + r.raw());
            assertEquals("invalid_request", r.errorCode(), r.raw());
            assertEquals("file", r.body().path("error").path("details").path("field").asText(), r.raw());
            String message = r.body().path("error").path("message").asText();
            assertTrue(message.startsWith("file breaks the edge ABI: "), message);
            assertTrue(message.contains(expected.get(m.getKey())), m.getKey() + ": " + message);
            assertEquals(0, h.api.get("/api/v1/functions?name=abi-" + m.getKey(), h.operator()).body()
                    .path("functions").size());
        }
    }

    @Test
    void deleteIsRefusedWhileADeviceRunsTheVersionAndAfterwardsIs404() throws Exception {
        Api.Response up = upload(h, "gone", "1", module(1));
        String id = up.text("id");
        try (Connection c = DriverManager.getConnection(PG.jdbcUrl());
             PreparedStatement ps = c.prepareStatement("INSERT INTO node_function_deployments (device_id, name, "
                     + "function_id, version, hash, apply_order, deployed_at) VALUES ('d1', 'gone', ?, '1', ?, 0, now())")) {
            ps.setObject(1, UUID.fromString(id));
            ps.setString(2, up.text("hash"));
            ps.executeUpdate();
        }
        Api.Response refused = h.api.delete("/api/v1/functions/" + id, h.operator());
        assertEquals(409, refused.status(), refused.raw());
        try (Connection c = DriverManager.getConnection(PG.jdbcUrl());
             PreparedStatement ps = c.prepareStatement("DELETE FROM node_function_deployments WHERE function_id = ?")) {
            ps.setObject(1, UUID.fromString(id));
            ps.executeUpdate();
        }
        assertEquals(204, h.api.delete("/api/v1/functions/" + id, h.operator()).status());
        assertEquals(404, h.api.get("/api/v1/functions/" + id, h.operator()).status());
        assertEquals(404, h.api.delete("/api/v1/functions/" + id, h.operator()).status());
    }

    static String signedUrl(Harness on, String id) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(on.dispatcher.url()
                        + "/api/v1/functions/" + id + "/download")).header("Authorization", "Bearer " + on.operator())
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(307, r.statusCode(), r.body());
        return r.headers().firstValue("Location").orElseThrow();
    }

    static HttpResponse<byte[]> fetch(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static Api.Response upload(Harness on, String name, String version, byte[] file) {
        String boundary = "edgesync" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, "name", null, name.getBytes(StandardCharsets.UTF_8));
        part(body, boundary, "version", null, version.getBytes(StandardCharsets.UTF_8));
        part(body, boundary, "file", "function.wasm", file);
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(on.dispatcher.url()
                            + "/api/v1/functions")).header("Authorization", "Bearer " + on.operator())
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isEmpty() ? Json.mapper().createObjectNode() : Json.mapper().readTree(r.body());
            return new Api.Response(r.statusCode(), json, r.body(), 0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void part(ByteArrayOutputStream out, String boundary, String field, String filename, byte[] value) {
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\""
                + (filename == null ? "" : "; filename=\"" + filename + "\"\r\nContent-Type: application/wasm")
                + "\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(value);
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
