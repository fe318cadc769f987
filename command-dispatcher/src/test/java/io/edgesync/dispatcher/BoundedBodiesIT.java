package io.edgesync.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgesync.shared.json.Json;
import io.edgesync.testsupport.ChunkedFlood;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every route of the real dispatcher that takes a body answers a 10 MiB chunked body (no
 * {@code Content-Length}) 413 {@code payload_too_large} in the error shape before the client has finished
 * sending it: the JSON routes past 1 MiB, the function upload past its own {@code functions.max-size-bytes}. The routes are those of the running server's router, checked against the {@code *Routes}
 * classes' source, so a route added later is covered or fails this test.
 */
class BoundedBodiesIT {
    private static final long TEN_MIB = 10L * 1024 * 1024;
    private static final Set<HandlerType> WITH_BODY = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH);
    /** Routes that take multipart/form-data (the function upload, with its own limit). */
    private static final Set<String> MULTIPART = Set.of("POST /api/v1/functions");
    private static final Pattern INSTALLED = Pattern.compile("app\\.(post|put|patch)\\(\"([^\"]+)\"");

    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension(1);
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static Harness h;

    @BeforeAll
    static void start() {
        // the function upload has a limit of its own (functions.max-size-bytes, 16 MiB by default): 1 MiB here,
        // so that 10 MiB is beyond it too
        h = new Harness(KAFKA.bootstrapServers(), PG.jdbcUrl(), Map.of("functions.max-size-bytes", "1048576"));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void aTenMibChunkedBodyIsAnswered413ByEveryPostAndPutRouteBeforeItEnds() throws Exception {
        // GIVEN every route of the running dispatcher that takes a body, the same set its *Routes classes install
        List<Endpoint> routes = h.dispatcher.app().unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
                .map(ParsedEndpoint::getEndpoint).filter(e -> WITH_BODY.contains(e.getMethod())).toList();
        Set<String> served = new TreeSet<>();
        routes.forEach(e -> served.add(e.getMethod() + " " + e.getPath()));
        assertEquals(installedInRoutesClasses(), served, "routes served vs installed by the *Routes classes");
        assertTrue(served.size() >= 10, "routes found: " + served);

        // WHEN each is sent 10 MiB of chunked body, by an operator (so no route refuses it for its credentials first)
        List<String> wrong = new ArrayList<>();
        for (Endpoint route : routes) {
            String path = route.getPath().replaceAll("\\{[^}]+}", "bb-1");
            String type = MULTIPART.contains(route.getMethod() + " " + route.getPath())
                    ? "multipart/form-data; boundary=bounded-bodies" : "application/json";
            ChunkedFlood.Answer a = ChunkedFlood.send(URI.create(h.dispatcher.url()), route.getMethod().name(), path,
                    Map.of("Authorization", "Bearer " + h.operator(), "Content-Type", type), TEN_MIB);
            String code = errorCode(a.body());
            System.out.printf("route=\"%s %s\" status=%d code=%s body_bytes_written_at_answer=%d of %d "
                    + "answered_before_body_ended=%s%n", route.getMethod(), route.getPath(), a.status(), code,
                    a.bytesWrittenAtAnswer(), a.bodyBytes(), a.answeredBeforeBodyEnded());
            // THEN 413 payload_too_large in the error shape, answered while the body was still being sent
            if (a.status() != 413 || !"payload_too_large".equals(code) || !a.answeredBeforeBodyEnded()) {
                wrong.add(route.getMethod() + " " + route.getPath() + " -> " + a.status() + " " + a.body()
                        + " before end: " + a.answeredBeforeBodyEnded());
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void aChunkedBodyWithinTheLimitIsReadAsUsual() throws Exception {
        byte[] body = "{\"name\":\"chunked\",\"role\":\"viewer\"}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(h.dispatcher.url() + "/api/v1/operator-tokens"))
                        .header("Authorization", "Bearer " + h.operator()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("viewer", Json.mapper().readTree(r.body()).path("role").asText(), r.body());
    }

    private static String errorCode(String body) {
        try {
            return Json.mapper().readTree(body).path("error").path("code").asText(null);
        } catch (IOException e) {
            return "not JSON: " + body;
        }
    }

    /** {@code METHOD path} of every {@code app.post/put/patch("...")} in the dispatcher's {@code *Routes} classes. */
    private static Set<String> installedInRoutesClasses() throws IOException {
        Set<String> installed = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/java/io/edgesync/dispatcher/api"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith("Routes.java")).toList()) {
                Matcher m = INSTALLED.matcher(Files.readString(f));
                while (m.find()) {
                    installed.add(m.group(1).toUpperCase(java.util.Locale.ROOT) + " " + m.group(2));
                }
            }
        }
        return installed;
    }
}
