package io.edgesync.cli.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.cli.ControlPlane;
import io.edgesync.cli.EdgeSyncCli;
import io.edgesync.shared.json.Json;
import io.edgesync.shared.kafka.Topics;
import io.edgesync.testsupport.Await;
import io.edgesync.testsupport.KafkaTopics;
import io.edgesync.embedded.TempDirs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The operator CLI against a real control plane (broker, PostgreSQL, the four services): devices,
 * commands (one device and a group of 1,000), config, status, and dead-letter redrive landing once.
 */
class OperatorCliIT {
    static Path dir;
    static ControlPlane plane;
    static List<String> api;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return Json.mapper().readTree(out);
        }
    }

    @BeforeAll
    static void start() {
        dir = TempDirs.create("operator-cli-");
        plane = ControlPlane.start(new ControlPlane.Options(dir.resolve("data"), 0, 0, 0, 0, null, false));
        api = List.of("--dispatcher", plane.dispatcherUrl(), "--token", plane.credentials().operatorToken());
    }

    @AfterAll
    static void stop() {
        if (plane != null) {
            plane.close();
        }
        TempDirs.deleteRecursively(dir);
    }

    @Test
    void devicesAreListedShownRotatedAndRevoked() throws Exception {
        register("ops-d1", "ops-pump", null);
        register("ops-d2", "ops-pump", null);

        Run list = run("devices", "list", "--json");
        Run table = run("devices", "list");
        Run show = run("devices", "show", "ops-d1", "--json");
        Run rotate = run("devices", "rotate", "ops-d1", "--json");
        Run revoke = run("devices", "revoke", "ops-d2");
        Run missing = run("devices", "show", "nobody");

        assertEquals(0, list.exit(), list.err());
        List<String> ids = new ArrayList<>();
        list.json().path("devices").forEach(d -> ids.add(d.path("deviceId").asText()));
        assertTrue(ids.containsAll(List.of("ops-d1", "ops-d2")), ids.toString());
        assertTrue(table.out().startsWith("DEVICE"), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith("ops-d1 ") && l.contains("ops-pump")), table.out());
        assertEquals("ops-pump", show.json().path("deviceType").asText());
        assertEquals(0, rotate.exit(), rotate.err());
        assertTrue(rotate.json().path("tokenVersion").asLong() >= 1, rotate.out());
        assertTrue(rotate.json().path("token").asText().length() > 20);
        assertEquals(0, revoke.exit(), revoke.err());
        assertTrue(revoke.out().lines().anyMatch(l -> l.startsWith("tokenStatus") && l.contains("revoked")), revoke.out());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("not_found"), missing.err());
    }

    @Test
    void tokenComesFromAFileAndAnUnreachableDispatcherIsExitTwo() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), plane.credentials().operatorToken() + "\n");
        Run fromFile = runRaw("devices", "list", "--dispatcher", plane.dispatcherUrl(), "--token-file", file.toString());
        Run noToken = runRaw("devices", "list", "--dispatcher", plane.dispatcherUrl());
        Run unreachable = runRaw("devices", "list", "--dispatcher", "http://127.0.0.1:1", "--token", "x");

        assertEquals(0, fromFile.exit(), fromFile.err());
        assertEquals(2, noToken.exit(), noToken.err());
        assertEquals(2, unreachable.exit(), unreachable.err());
        assertTrue(unreachable.err().contains("cannot reach the dispatcher"), unreachable.err());
    }

    @Test
    void commandsToOneDeviceAreSentListedShownAndCancelled() throws Exception {
        register("ops-c1", "ops-valve", null);

        Run sent = run("commands", "send", "--device", "ops-c1", "--type", "reboot", "--payload", "{\"delay\":5}",
                "--json");
        String id = sent.json().path("commandId").asText();
        Run list = run("commands", "list", "--device", "ops-c1");
        Run show = run("commands", "show", id, "--json");
        Run cancel = run("commands", "cancel", id, "--json");
        Run again = run("commands", "send", "--device", "ops-c1", "--type", "x", "--payload", "{not json");

        assertEquals(0, sent.exit(), sent.err());
        assertEquals("pending", sent.json().path("status").asText());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith(id) && l.contains("pending")), list.out());
        assertEquals(5, show.json().path("payload").path("delay").asInt());
        assertEquals("cancelled", cancel.json().path("status").asText());
        assertEquals(2, again.exit(), "bad --payload is a usage error");
    }

    @Test
    void groupCommandToThousandDevicesShowsExactAggregatedCounts() throws Exception {
        Map<String, String> tokens = registerMany("ops-g", 1000, "ops-meter");

        Run sent = run("commands", "send", "--device-type", "ops-meter", "--type", "set-rate", "--payload", "{\"hz\":2}");
        assertEquals(0, sent.exit(), sent.err());
        assertTrue(sent.out().contains("to 1000 devices"), sent.out());
        String group = sent.out().lines().findFirst().orElseThrow().split(" ")[1].replace(":", "");
        // 30 devices poll; 25 execute, 5 fail
        for (int i = 0; i < 30; i++) {
            String device = "ops-g" + i;
            JsonNode cmd = get("/api/v1/sync/commands/" + device, tokens.get(device)).path("commands").get(0);
            post("/api/v1/sync/ack/" + cmd.path("commandId").asText(), tokens.get(device),
                    "{\"status\":\"" + (i < 25 ? "executed" : "failed") + "\"}");
        }

        Run show = run("commands", "show", group, "--group", "--json");
        Run table = run("commands", "show", group, "--group");
        Run failed = run("commands", "list", "--group", group, "--status", "failed", "--json");
        Run groups = run("commands", "list");
        Run cancel = run("commands", "cancel", group, "--group", "--json");

        JsonNode c = show.json().path("counts");
        assertEquals(List.of(970, 0, 25, 5, 0, 0), List.of(c.path("pending").asInt(), c.path("delivered").asInt(),
                c.path("executed").asInt(), c.path("failed").asInt(), c.path("expired").asInt(),
                c.path("cancelled").asInt()));
        List<String> lines = table.out().lines().toList();
        assertTrue(lines.get(1).startsWith("PENDING"), table.out());
        assertEquals(List.of("970", "0", "25", "5", "0", "0"), List.of(lines.get(2).trim().split("\\s+")));
        assertEquals(5, failed.json().path("commands").size());
        assertTrue(groups.out().contains(group), groups.out());
        assertEquals(970, cancel.json().path("cancelledNow").asInt());
        assertEquals(970, cancel.json().path("counts").path("cancelled").asInt());
    }

    @Test
    void configIsSetAndRead() throws Exception {
        register("ops-cfg", "ops-pump", null);

        Run set = run("config", "set", "ops-cfg", "sample-rate", "5", "--json");
        Run text = run("config", "set", "ops-cfg", "mode", "eco");
        Run get = run("config", "get", "ops-cfg");
        Run one = run("config", "get", "ops-cfg", "mode");
        Run json = run("config", "get", "ops-cfg", "--json");

        assertEquals(0, set.exit(), set.err());
        assertEquals(5, set.json().path("value").asInt());
        assertEquals(0, text.exit(), text.err());
        assertTrue(get.out().lines().anyMatch(l -> l.startsWith("sample-rate") && l.contains(" 5 ")), get.out());
        assertEquals(2, one.out().lines().filter(l -> !l.startsWith("desired")).count(), one.out());
        assertTrue(one.out().contains("eco"), one.out());
        assertEquals(2, json.json().path("entries").size());
    }

    @Test
    void statusShowsEveryServiceAndAnUnreachableOneIsExitThree() throws Exception {
        Map<String, String> urls = plane.serviceUrls();
        Run ok = runRaw("status", "--gateway", urls.get("gateway"), "--processor", urls.get("processor"),
                "--sink", urls.get("sink"), "--dispatcher", urls.get("dispatcher"), "--sample", "200ms", "--json");
        Run table = runRaw("status", "--gateway", urls.get("gateway"), "--processor", urls.get("processor"),
                "--sink", "http://127.0.0.1:1", "--dispatcher", urls.get("dispatcher"), "--sample", "0");

        assertEquals(0, ok.exit(), ok.out() + ok.err());
        assertTrue(ok.json().path("healthy").asBoolean());
        assertEquals(4, ok.json().path("services").size());
        for (JsonNode s : ok.json().path("services")) {
            assertTrue(s.path("ready").asBoolean(), s.toString());
        }
        assertTrue(ok.json().path("services").get(2).has("paused"), ok.out());
        assertEquals(3, table.exit(), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith("sink") && l.contains("UNREACHABLE")), table.out());
        assertTrue(table.out().contains("NOT healthy"), table.out());
    }

    @Test
    void redriveLandsAFixedDeadLetterExactlyOnceEvenWhenRunTwice() throws Exception {
        // GIVEN a reading keyed by the wrong device (device_mismatch) and one that is not JSON
        String value = "{\"id\":\"redrive-1\",\"deviceId\":\"ops-dlq\",\"sensorId\":\"t\",\"timestamp\":1767225600000,"
                + "\"dataType\":\"temperature\",\"value\":21.5,\"unit\":\"C\",\"version\":1}";
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, plane.kafkaBootstrap()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(Topics.TELEMETRY_RAW.name(), bytes("wrong-key"), bytes(value))).get();
            p.send(new ProducerRecord<>(Topics.TELEMETRY_RAW.name(), bytes("ops-dlq"), bytes("{not json"))).get();
        }
        List<String> kafka = List.of("--kafka", plane.kafkaBootstrap());
        JsonNode mismatch = Await.until(Duration.ofSeconds(60), () -> letter(kafka, "device_mismatch", "wrong-key"),
                n -> n != null, "the device_mismatch dead letter");
        JsonNode notJson = Await.until(Duration.ofSeconds(60), () -> letter(kafka, "not_json", "ops-dlq"),
                n -> n != null, "the not_json dead letter");
        String id = mismatch.path("id").asText();
        assertEquals("telemetry.raw", mismatch.path("sourceTopic").asText());
        assertTrue(mismatch.path("sourceOffset").asText().matches("\\d+"), mismatch.toString());
        Run list = run("dlq", "list", kafka.get(0), kafka.get(1));
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith(id + " ") && l.contains("device_mismatch")
                && l.contains("telemetry.raw")), list.out());
        Run show = run("dlq", "show", id, kafka.get(0), kafka.get(1), "--json");
        assertEquals(value, show.json().path("value").asText());

        // WHEN it is redriven with its key fixed, twice, and the not-JSON one is asked for too
        Run first = run("dlq", "redrive", id, "--key-from-record", kafka.get(0), kafka.get(1));
        Run second = run("dlq", "redrive", id, "--key-from-record", kafka.get(0), kafka.get(1), "--json");
        Run refused = run("dlq", "redrive", notJson.path("id").asText(), kafka.get(0), kafka.get(1), "--json");

        // THEN it lands in telemetry.clean (read_committed) and telemetry_data once
        assertEquals(0, first.exit(), first.out() + first.err());
        assertTrue(first.out().contains("redriven"), first.out());
        assertEquals(0, second.exit(), second.err());
        assertEquals("redriven", second.json().path("letters").get(0).path("result").asText());
        assertEquals(1, refused.exit(), refused.out());
        assertEquals("skipped", refused.json().path("letters").get(0).path("result").asText());
        Await.until(Duration.ofSeconds(60), () -> KafkaTopics.caughtUp(plane.kafkaBootstrap(),
                "edgesync-stream-processor", Topics.TELEMETRY_RAW.name()), b -> b, "the processor read the redrives");
        Await.equalTo(Duration.ofSeconds(60), () -> rows("SELECT count(*) FROM telemetry_data WHERE device_id = "
                + "'ops-dlq'"), 1L, "rows of ops-dlq in telemetry_data");
        assertEquals(Map.of("ops-dlq/redrive-1", 1L),
                KafkaTopics.telemetryCopies(plane.kafkaBootstrap(), Topics.TELEMETRY_CLEAN.name(), "ops-dlq"));
    }

    private static JsonNode letter(List<String> kafka, String reason, String key) throws Exception {
        Run r = run("dlq", "list", "--reason", reason, "--json", kafka.get(0), kafka.get(1));
        for (JsonNode l : r.json().path("letters")) {
            if (key.equals(l.path("key").asText())) {
                return l;
            }
        }
        return null;
    }

    private static long rows(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(plane.jdbcUrl()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** {@code command sub [args]} with the dispatcher and operator token. */
    static Run run(String command, String sub, String... args) {
        List<String> all = new ArrayList<>(List.of(command, sub));
        if (!command.equals("dlq")) {
            all.addAll(api);
        }
        all.addAll(List.of(args));
        return runRaw(all.toArray(String[]::new));
    }

    static Run runRaw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new EdgeSyncCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static String register(String deviceId, String type, String metadata) throws Exception {
        JsonNode r = send("POST", "/api/v1/devices/register", plane.credentials().enrollmentKey(),
                "{\"deviceId\":\"" + deviceId + "\",\"name\":\"" + deviceId + "\",\"deviceType\":\"" + type + "\""
                        + (metadata == null ? "" : ",\"metadata\":" + metadata) + "}", 201);
        return r.path("token").asText();
    }

    static Map<String, String> registerMany(String prefix, int n, String type) throws Exception {
        Map<String, String> tokens = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = prefix + i;
                done.add(pool.submit(() -> tokens.put(id, register(id, type, null))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return tokens;
    }

    static JsonNode get(String path, String token) throws Exception {
        return send("GET", path, token, null, 200);
    }

    static JsonNode post(String path, String token, String json) throws Exception {
        return send("POST", path, token, json, 200);
    }

    static JsonNode send(String method, String path, String token, String json, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(plane.dispatcherUrl() + path))
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
