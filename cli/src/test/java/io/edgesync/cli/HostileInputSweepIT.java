package io.edgesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.CommandDispatcher;
import io.edgesync.dispatcher.DispatcherConfig;
import io.edgesync.dispatcher.auth.LocalCredentials;
import io.edgesync.embedded.TempDirs;
import io.edgesync.gateway.IngestGateway;
import io.edgesync.processor.ProcessorConfig;
import io.edgesync.processor.StreamProcessor;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.sink.CockroachSink;
import io.edgesync.sink.SinkConfig;
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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12's hostile-input sweep: hundreds of malformed, oversized or hostile requests, generated,
 * against every endpoint of the gateway and the dispatcher (auth mode jwt, every service real).
 * None is answered 5xx, every 4xx is in the error shape, nothing crashes, and a valid upload
 * afterwards lands in telemetry_data.
 */
class HostileInputSweepIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> failures = new ArrayList<>();
    private int sent;

    /** Values that break a field: wrong types, over-long, unstorable, out of range. */
    private static final List<String> HOSTILE_VALUES = List.of("null", "true", "[]", "{}", "\"\"", "\" \"",
            "\"" + "x".repeat(100_000) + "\"", "-1", "1e400", "-1e400", "99999999999999999999999999",
            "\"\\u0000\"", "\"\\ud800\"", "\"\\udfff x\"", "1.5", "\"1700000000000\"", "\"+999999999-12-31T23:59:59Z\"",
            "\"2026-13-45T99:99:99Z\"", "[[[[[[[[[[1]]]]]]]]]]", "{\"$ne\":1}", "\"'; DROP TABLE telemetry_data; --\"",
            "\"<script>alert(1)</script>\"", "-9223372036854775808", "9223372036854775807", "0", "2147483648");

    /** Bodies that are not what any endpoint expects. */
    private static List<byte[]> hostileBodies() {
        List<String> texts = new ArrayList<>(List.of("", " ", "null", "true", "0", "\"s\"", "[", "{", "]", "}", "[]",
                "{}", "{\"a\":1,\"a\":2}", "{\"records\":\"x\"}", "{\"records\":{}}", "{\"records\":[1,2,3]}",
                "{\"records\":[null]}", "[null]", "[[]]", "[{}]", "{\"deviceId\":5,\"records\":[]}",
                "{\"batchId\":[],\"records\":[]}", "{\"\\ud800\":1}", "{\"k\":\"\\ud800\"}", "{\"k\":\"\\u0000\"}",
                "[1e999999]", "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", "[".repeat(100_000),
                "{\"" + "k".repeat(200_000) + "\":1}", "\uFEFF{}", "{}{}", "{} trailing", "NaN", "[NaN]",
                "{'single':'quotes'}", "{\"a\":1,}", "/* comment */ {}", "{\"name\":\"\\u0000\",\"deviceType\":\"t\"}"));
        List<byte[]> out = new ArrayList<>();
        texts.forEach(t -> out.add(t.getBytes(StandardCharsets.UTF_8)));
        out.add(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        out.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'}); // invalid UTF-8
        out.add(new byte[] {'[', '{', '"', 'i', 'd', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}', ']'});
        Random random = new Random(12);
        for (int i = 0; i < 6; i++) {
            byte[] noise = new byte[1 + random.nextInt(2000)];
            random.nextBytes(noise);
            out.add(noise);
        }
        out.add(new byte[5 * 1024 * 1024]); // over every body limit
        return out;
    }

    @Test
    void hostileRequestsGetA4xxInTheErrorShapeAndAValidUploadStillLands() throws Exception {
        Path dir = TempDirs.create("sweep-");
        LocalCredentials credentials = LocalCredentials.loadOrCreate(dir);
        ConfigSource config = ConfigSource.of(Map.ofEntries(
                Map.entry("kafka.bootstrap-servers", KAFKA.bootstrapServers()), Map.entry("database.jdbc-url", PG.jdbcUrl()),
                Map.entry("dispatcher.port", "0"), Map.entry("gateway.port", "0"), Map.entry("gateway.auth-mode", "jwt"),
                Map.entry("processor.port", "-1"), Map.entry("sink.port", "-1"),
                Map.entry("processor.state-dir", dir.resolve("streams").toString()),
                Map.entry("gateway.jwt-public-key-file", credentials.publicKeyFile().toString()),
                Map.entry("dispatcher.signing-key-file", credentials.signingKeyFile().toString()),
                Map.entry("dispatcher.operator-token", credentials.operatorToken()),
                Map.entry("dispatcher.enrollment-key", credentials.enrollmentKey()),
                // every hostile registration body must reach validation, not the fleet key's rate limit
                Map.entry("dispatcher.enrollment-key-rate-limit", "1000000")));
        try (CommandDispatcher dispatcher = CommandDispatcher.start(DispatcherConfig.from(config));
             IngestGateway gateway = IngestGateway.start(config);
             StreamProcessor processor = StreamProcessor.start(ProcessorConfig.from(config));
             CockroachSink sink = CockroachSink.start(SinkConfig.from(config))) {
            Await.equalTo(Duration.ofSeconds(30), gateway::ready, true, "gateway ready");
            String d = dispatcher.url();
            String g = gateway.url() + "/api/v1/sync/telemetry";
            String enrol = credentials.enrollmentKey();
            String operator = credentials.operatorToken();
            String device = DeviceHttp.enrol(d, enrol, "sweep-dev");
            String other = DeviceHttp.enrol(d, enrol, "sweep-other");
            String commandId = Json.mapper().readTree(call("POST", d + "/api/v1/devices/sweep-dev/commands", operator,
                    "{\"commandType\":\"reboot\"}".getBytes(), "application/json", null).body()).path("commandId").asText();

            // GIVEN hostile bodies against every endpoint that takes one
            List<String[]> bodyEndpoints = List.of(
                    new String[] {"POST", g, device},
                    new String[] {"POST", d + "/api/v1/devices/register", enrol},
                    new String[] {"POST", d + "/api/v1/devices/sweep-dev/heartbeat", device},
                    new String[] {"POST", d + "/api/v1/devices/sweep-dev/commands", operator},
                    new String[] {"POST", d + "/api/v1/sync/ack/" + commandId, device},
                    new String[] {"PUT", d + "/api/v1/devices/sweep-dev/config/k", operator},
                    new String[] {"POST", d + "/api/v1/operator-tokens", operator},
                    new String[] {"PUT", d + "/api/v1/deployments", operator});
            for (String[] e : bodyEndpoints) {
                for (byte[] body : hostileBodies()) {
                    check(call(e[0], e[1], e[2], body, "application/json", null), e[1]);
                }
            }
            // AND every field of a valid record, and of each dispatcher body, replaced by each hostile value
            String record = "{\"id\":\"r\",\"sensorId\":\"s\",\"timestamp\":1700000000000,\"dataType\":\"t\",\"value\":1,"
                    + "\"unit\":\"C\",\"metadata\":{},\"version\":1}";
            Map<String, String[]> shapes = Map.of(
                    g + "|" + device, new String[] {record, "id", "sensorId", "timestamp", "dataType", "value", "unit",
                        "metadata", "version"},
                    d + "/api/v1/devices/register|" + enrol, new String[] {"{\"deviceId\":\"sw-x\",\"name\":\"n\","
                        + "\"deviceType\":\"t\",\"location\":\"l\",\"metadata\":{}}", "deviceId", "name", "deviceType",
                        "location", "metadata"},
                    d + "/api/v1/devices/sweep-dev/heartbeat|" + device, new String[] {"{\"pendingRecords\":1,"
                        + "\"agentVersion\":\"1\",\"configVersion\":1,\"deviceTime\":1}", "pendingRecords", "agentVersion",
                        "configVersion", "deviceTime"},
                    d + "/api/v1/devices/sweep-dev/commands|" + operator, new String[] {"{\"commandType\":\"c\","
                        + "\"payload\":{},\"ttlSeconds\":60}", "commandType", "ttlSeconds"},
                    d + "/api/v1/operator-tokens|" + operator, new String[] {"{\"name\":\"n\",\"role\":\"viewer\","
                        + "\"ttlSeconds\":60}", "name", "role", "ttlSeconds"});
            for (Map.Entry<String, String[]> s : shapes.entrySet()) {
                String url = s.getKey().split("\\|")[0];
                String bearer = s.getKey().split("\\|")[1];
                String valid = s.getValue()[0];
                for (int f = 1; f < s.getValue().length; f++) {
                    String field = s.getValue()[f];
                    for (String value : HOSTILE_VALUES) {
                        String body = Json.mapper().readTree(valid) instanceof com.fasterxml.jackson.databind.node.ObjectNode
                                ? replaceField(valid, field, value) : valid;
                        check(call("POST", url, bearer, (url.equals(g) ? "[" + body + "]" : body)
                                .getBytes(StandardCharsets.UTF_8), "application/json", null), url + " " + field);
                    }
                }
            }
            // (a function row to deploy, so selectors reach the database; the sweep has no object store)
            String fn = "11111111-2222-3333-4444-555555555555";
            try (Connection c = PG.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO functions (function_id, name, version, hash, size_bytes, storage_path, "
                        + "created_at) VALUES ('" + fn + "', 'sweep', '1', 'h', 1, 'p', now()) ON CONFLICT DO NOTHING");
            }
            String deployment = "{\"functionId\":\"" + fn + "\","
                    + "\"selector\":{\"deviceType\":\"t\"},\"order\":1}";
            for (String field : new String[] {"functionId", "selector", "order"}) {
                for (String value : HOSTILE_VALUES) {
                    check(call("PUT", d + "/api/v1/deployments", operator, replaceField(deployment, field, value)
                            .getBytes(StandardCharsets.UTF_8), "application/json", null), "deployments " + field);
                }
            }
            for (String value : HOSTILE_VALUES) {
                for (String form : new String[] {"deviceId", "deviceType", "label"}) {
                    check(call("PUT", d + "/api/v1/deployments", operator, ("{\"functionId\":\"" + fn
                            + "\",\"selector\":{\"" + form + "\":" + value + "}}")
                            .getBytes(StandardCharsets.UTF_8), "application/json", null), "selector " + form);
                }
            }
            // AND hostile headers, credentials, methods, paths and query strings
            byte[] one = ("[" + record + "]").getBytes(StandardCharsets.UTF_8);
            for (String type : new String[] {null, "text/plain", "application/xml", "multipart/form-data", "*/*", "application/jsonx"}) {
                check(call("POST", g, device, one, type, null), g + " content-type " + type);
            }
            for (String encoding : new String[] {"gzip", "br", "deflate", "gzip, gzip", "x-unknown"}) {
                check(call("POST", g, device, one, "application/json", encoding), g + " encoding " + encoding);
            }
            check(call("POST", g, device, gzipBomb(), "application/json", "gzip"), g + " gzip bomb");
            for (String bearer : new String[] {null, "", "x", "a.b.c", "e30.e30.", "x".repeat(8000), other, operator, enrol,
                    device.substring(0, device.length() - 2) + "xx"}) {
                check(call("POST", g, bearer, one, "application/json", null), g + " bearer");
                check(call("GET", d + "/api/v1/devices/sweep-dev", bearer, null, null, null), "device get bearer");
                check(call("POST", d + "/api/v1/devices/sweep-dev/heartbeat", bearer, "{}".getBytes(), "application/json",
                        null), "heartbeat bearer");
            }
            for (String method : new String[] {"GET", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
                check(call(method, g, device, one, "application/json", null), g + " " + method);
                check(call(method, d + "/api/v1/devices/register", enrol, "{}".getBytes(), "application/json", null),
                        "register " + method);
            }
            for (String id : new String[] {"%00", "%ED%A0%80", "x".repeat(3000), "..%2F..%2Fetc", "a%20b", "%25", "-",
                    "'%3B--", "%FF%FE", "%C3%28", "a%2F..%2F..%2Fb", "%2e%2e"}) {
                for (String path : new String[] {"/api/v1/devices/" + id, "/api/v1/devices/" + id + "/commands",
                        "/api/v1/commands/" + id, "/api/v1/sync/status/" + id, "/api/v1/sync/commands/" + id,
                        "/api/v1/sync/config/" + id, "/api/v1/devices/sweep-dev/config/" + id,
                        "/api/v1/functions/" + id, "/api/v1/deployments/" + id, "/api/v1/deployments/" + id + "/devices",
                        "/api/v1/deployments/audit?deploymentId=" + id, "/api/v1/deployments?functionId=" + id}) {
                    check(call("GET", d + path, operator, null, null, null), path);
                }
                check(call("POST", d + "/api/v1/sync/ack/" + id, device, "{\"status\":\"executed\"}".getBytes(),
                        "application/json", null), "ack " + id);
                check(call("POST", d + "/api/v1/commands/" + id + "/cancel", operator, null, null, null), "cancel " + id);
                check(call("DELETE", d + "/api/v1/devices/" + id + "/token", operator, null, null, null), "revoke " + id);
                check(call("DELETE", d + "/api/v1/deployments/" + id, operator, null, null, null), "undeploy " + id);
            }
            for (String q : new String[] {"limit=-1", "limit=0", "limit=abc", "limit=99999999999", "status=nope",
                    "after=%00", "status=", "limit=1&limit=2", "after=" + "z".repeat(5000)}) {
                check(call("GET", d + "/api/v1/devices?" + q, operator, null, null, null), "list " + q);
                check(call("GET", d + "/api/v1/devices/sweep-dev/commands?" + q, operator, null, null, null), "cmds " + q);
            }
            for (String q : new String[] {"wait=-1", "wait=abc", "wait=99999", "wait=1e9"}) {
                check(call("GET", d + "/api/v1/sync/commands/sweep-dev?" + q, device, null, null, null), "poll " + q);
            }
            for (String q : new String[] {"since=-1", "since=abc", "since=99999999999999999999"}) {
                check(call("GET", d + "/api/v1/sync/config/sweep-dev?" + q, device, null, null, null), "config " + q);
            }

            // THEN no answer was 5xx and every 4xx had the error shape
            assertTrue(sent >= 300, "only " + sent + " requests were generated");
            assertEquals(List.of(), failures, failures.size() + " of " + sent + " answers broke the rules");
            // AND nothing crashed
            assertEquals(200, call("GET", gateway.url() + "/health/live", null, null, null, null).statusCode());
            assertEquals(200, call("GET", d + "/health/live", null, null, null, null).statusCode());
            assertEquals(org.apache.kafka.streams.KafkaStreams.State.RUNNING, processor.state());
            // AND a valid upload afterwards lands
            HttpResponse<String> ok = call("POST", g, device, "[{\"id\":\"after-sweep\",\"sensorId\":\"s\",\"timestamp\":1700000000000,\"dataType\":\"t\",\"value\":1}]"
                    .getBytes(StandardCharsets.UTF_8), "application/json", null);
            assertEquals(200, ok.statusCode(), ok.body());
            Await.equalTo(Duration.ofSeconds(60), () -> count("SELECT count(*) FROM telemetry_data WHERE device_id = "
                    + "'sweep-dev' AND id = 'after-sweep'"), 1L, "the valid upload after the sweep");
            System.out.printf("hostile sweep: %d requests, 0 answered 5xx%n", sent);
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    private static String replaceField(String json, String field, String value) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode node =
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(json);
        node.remove(field);
        String rest = node.toString();
        return "{\"" + field + "\":" + value + (rest.length() > 2 ? "," + rest.substring(1) : "}");
    }

    private static byte[] gzipBomb() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 64; i++) {
                gz.write(zeros);
            }
        }
        return out.toByteArray();
    }

    private HttpResponse<String> call(String method, String url, String bearer, byte[] body, String contentType,
                                      String encoding) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (encoding != null) {
            b.header("Content-Encoding", encoding);
        }
        sent++;
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            // a server may close the connection on a body it refuses unread; that is an answer, not a crash
            failures.add("no answer for " + method + " " + abbreviate(url) + ": " + e);
            return null;
        }
    }

    private void check(HttpResponse<String> r, String what) {
        if (r == null) {
            return;
        }
        int status = r.statusCode();
        if (status >= 500) {
            failures.add(status + " for " + abbreviate(what) + ": " + abbreviate(r.body()));
        } else if (status >= 400) {
            try {
                JsonNode error = Json.mapper().readTree(r.body()).path("error");
                if (!error.path("code").isTextual() || !error.path("message").isTextual()
                        || !error.path("retryable").isBoolean()) {
                    failures.add(status + " not in the error shape for " + abbreviate(what) + ": " + abbreviate(r.body()));
                }
            } catch (Exception e) {
                failures.add(status + " with a non-JSON body for " + abbreviate(what) + ": " + abbreviate(r.body()));
            }
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static long count(String sql) throws Exception {
        try (Connection c = PG.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
