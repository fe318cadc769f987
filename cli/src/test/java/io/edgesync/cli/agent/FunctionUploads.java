package io.edgesync.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.cli.ControlPlane;
import io.edgesync.shared.json.Json;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Uploads the committed example functions (examples/functions) to a control plane's dispatcher, as an operator. */
final class FunctionUploads {
    static final Path FUNCTIONS = Path.of(System.getProperty("user.dir")).getParent().resolve("examples/functions");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private FunctionUploads() {
    }

    static byte[] module(String file) throws Exception {
        return Files.readAllBytes(FUNCTIONS.resolve(file));
    }

    /** {@code POST /api/v1/functions}; asserts 201 and answers the function's metadata. */
    static JsonNode upload(ControlPlane plane, String name, String version, byte[] wasm) throws Exception {
        String boundary = "edgesync-functions-it";
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n" + name + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n" + version + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"function.wasm\"\r\n"
                + "Content-Type: application/wasm\r\n\r\n";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(wasm);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(plane.dispatcherUrl() + "/api/v1/functions"))
                .header("Authorization", "Bearer " + plane.credentials().operatorToken())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }
}
