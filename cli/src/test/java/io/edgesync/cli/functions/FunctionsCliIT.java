package io.edgesync.cli.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.cli.EdgeSyncCli;
import io.edgesync.dispatcher.CommandDispatcher;
import io.edgesync.dispatcher.DispatcherConfig;
import io.edgesync.dispatcher.auth.LocalCredentials;
import io.edgesync.embedded.S3Server;
import io.edgesync.embedded.TempDirs;
import io.edgesync.shared.config.ConfigSource;
import io.edgesync.shared.json.Json;
import io.edgesync.testsupport.KafkaExtension;
import io.edgesync.testsupport.PostgresExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * {@code edgesync functions} and {@code edgesync deployments} against a real dispatcher, PostgreSQL,
 * broker and S3-compatible store: upload, list, show, download (hash checked), deploy to a type,
 * rollout status, audit, undeploy and delete, and the exit codes of refusals.
 */
class FunctionsCliIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = new KafkaExtension(1);
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    /** The smallest module with the edge ABI's exports: memory, alloc(i32)->i32, process(i32,i32)->i64. */
    static final byte[] MODULE = HexFormat.of().parseHex("0061736d01000000" + "010c0260017f017f60027f7f017e"
            + "030302000105030100010" + "71c03066d656d6f7279020005616c6c6f6300000770726f636573730001"
            + "0a0b02040041000b040042010b");

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return Json.mapper().readTree(out);
        }
    }

    @Test
    void operatorManagesFunctionsAndDeploymentsFromTheCommandLine() throws Exception {
        Path dir = TempDirs.create("functions-cli-");
        LocalCredentials credentials = LocalCredentials.loadOrCreate(dir);
        try (S3Server s3 = S3Server.start(dir.resolve("s3"), 0);
             CommandDispatcher dispatcher = CommandDispatcher.start(DispatcherConfig.from(ConfigSource.of(Map.of(
                     "kafka.bootstrap-servers", KAFKA.bootstrapServers(), "database.jdbc-url", PG.jdbcUrl(),
                     "dispatcher.port", "0",
                     "dispatcher.signing-key-file", credentials.signingKeyFile().toString(),
                     "dispatcher.operator-token", credentials.operatorToken(),
                     "dispatcher.enrollment-key", credentials.enrollmentKey(),
                     "storage.s3.endpoint", s3.endpoint(), "storage.s3.access-key", S3Server.ACCESS_KEY,
                     "storage.s3.secret-key", S3Server.SECRET_KEY))))) {
            List<String> api = List.of("--dispatcher", dispatcher.url(), "--token", credentials.operatorToken());
            Path wasm = Files.write(dir.resolve("scale.wasm"), MODULE);
            register(dispatcher.url(), credentials.enrollmentKey(), "cli-1");

            // upload: 201, the same again 200 with the same id
            Run up = run("functions", api, "upload", "--name", "scale", "--version", "1.0.0", wasm.toString());
            assertEquals(0, up.exit(), up.err());
            String id = up.json().path("id").asText();
            assertEquals(sha256(MODULE), up.json().path("hash").asText());
            assertEquals(id, run("functions", api, "upload", "--name", "scale", "--version", "1.0.0",
                    wasm.toString()).json().path("id").asText());
            // list, show
            assertEquals(1, run("functions", api, "list", "--name", "scale").json().path("functions").size());
            assertEquals("1.0.0", run("functions", api, "show", id).json().path("version").asText());
            // download through the signed URL, hash checked
            Path got = dir.resolve("got.wasm");
            Run down = run("functions", api, "download", id, "--output", got.toString());
            assertEquals(0, down.exit(), down.err());
            assertTrue(down.out().contains("sha256=" + sha256(MODULE)), down.out());
            assertEquals(sha256(MODULE), sha256(Files.readAllBytes(got)));

            // deploy to the device type, see the rollout and the audit
            Run put = run("deployments", api, "put", "--function", id, "--device-type", "test", "--order", "5");
            assertEquals(0, put.exit(), put.err());
            String deployment = put.json().path("id").asText();
            assertEquals(5, put.json().path("order").asInt());
            assertEquals(1, run("deployments", api, "list", "--function", id).json().path("deployments").size());
            JsonNode status = run("deployments", api, "status", deployment).json();
            assertEquals(1, status.path("summary").path("pending").asInt(), status.toString());
            assertEquals("cli-1", status.path("devices").get(0).path("deviceId").asText());
            // a deployed version cannot be deleted: exit 1 with the error body on stderr
            Run refused = run("functions", api, "delete", id);
            assertEquals(1, refused.exit());
            assertTrue(refused.err().contains("HTTP 409") && refused.err().contains("conflict"), refused.err());
            // undeploy, then delete
            assertEquals(0, run("deployments", api, "delete", deployment).exit());
            List<String> actions = new ArrayList<>();
            run("deployments", api, "audit", "--deployment", deployment).json().path("events")
                    .forEach(e -> actions.add(e.path("action").asText()));
            assertEquals(List.of("undeployed", "deployed"), actions);
            assertEquals(0, run("functions", api, "delete", id).exit());
            Run gone = run("functions", api, "show", id);
            assertEquals(1, gone.exit());
            assertTrue(gone.err().contains("HTTP 404"), gone.err());

            // refusals: not WebAssembly (400), two selectors (usage error), no dispatcher (exit 2)
            Path text = Files.writeString(dir.resolve("x.wasm"), "hello");
            Run bad = run("functions", api, "upload", "--name", "x", "--version", "1", text.toString());
            assertEquals(1, bad.exit());
            assertTrue(bad.err().contains("invalid_request"), bad.err());
            Run two = run("deployments", api, "put", "--function", id, "--device", "a", "--device-type", "b");
            assertEquals(2, two.exit(), "picocli's usage error");
            assertFalse(two.err().isEmpty());
            Run down2 = run("functions", List.of("--dispatcher", "http://127.0.0.1:1", "--token", "t"), "list");
            assertEquals(2, down2.exit());
            assertTrue(down2.err().contains("cannot reach the dispatcher"), down2.err());
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    static Run run(String command, List<String> api, String... args) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.add(args[0]);
        all.addAll(api);
        all.addAll(List.of(args).subList(1, args.length));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new EdgeSyncCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    static void register(String dispatcher, String enrollmentKey, String deviceId) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(dispatcher
                        + "/api/v1/devices/register")).header("Authorization", "Bearer " + enrollmentKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"deviceId\":\"" + deviceId + "\",\"name\":\"" + deviceId + "\",\"deviceType\":\"test\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }
}
