package io.edgesync.cli.functions;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.shared.json.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edgesync functions upload|list|show|download|delete}: edge function artifacts on a running dispatcher. */
@Command(name = "functions", mixinStandardHelpOptions = true,
        description = "WebAssembly edge functions on a running dispatcher (docs/api.md, Functions): answers are the "
            + "API's JSON on stdout; an error's body goes to stderr with exit code 1, an unreachable dispatcher is 2.")
public final class FunctionsCommand {
    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions options;

    @Command(name = "upload", description = "Uploads a .wasm module as (name, version): 201 new, 200 the same bytes again.")
    int upload(@Option(names = "--name", required = true, description = "Function name.") String name,
               @Option(names = "--version", required = true, description = "Version (immutable).") String version,
               @Parameters(paramLabel = "FILE", description = "The .wasm file.") Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return options.print(api -> api.upload("/api/v1/functions", name, version, bytes), out(), err());
    }

    @Command(name = "list", description = "Lists functions, optionally of one name.")
    int list(@Option(names = "--name", description = "Only this name.") String name) {
        String q = name == null ? "" : "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        return options.print(api -> api.get("/api/v1/functions" + q), out(), err());
    }

    @Command(name = "show", description = "Shows one function's metadata.")
    int show(@Parameters(paramLabel = "ID") String id) {
        return options.print(api -> api.get("/api/v1/functions/" + path(id)), out(), err());
    }

    @Command(name = "delete", description = "Deletes a version that no deployment names and no device runs.")
    int delete(@Parameters(paramLabel = "ID") String id) {
        return options.print(api -> api.delete("/api/v1/functions/" + path(id)), out(), err());
    }

    @Command(name = "download", description = "Downloads the module through its signed URL and checks its SHA-256 "
            + "against the stored hash; a mismatch writes nothing and exits 1.")
    int download(@Parameters(paramLabel = "ID") String id,
                 @Option(names = {"-o", "--output"}, required = true, description = "File to write.") Path output) {
        try {
            OperatorApi api = options.api();
            OperatorApi.Answer meta = api.get("/api/v1/functions/" + path(id));
            if (!meta.ok()) {
                return ApiOptions.show(meta, out(), err());
            }
            OperatorApi.Answer redirect = api.get("/api/v1/functions/" + path(id) + "/download");
            if (redirect.status() != 307 || redirect.location() == null) {
                return ApiOptions.show(redirect, out(), err());
            }
            OperatorApi.Answer bytes = api.fetch(redirect.location());
            if (!bytes.ok()) {
                err().println("the object store answered HTTP " + bytes.status() + " for the signed URL");
                err().flush();
                return ApiOptions.ERROR;
            }
            String expected = Json.mapper().readTree(meta.body()).path("hash").asText();
            String actual = sha256(bytes.body());
            if (!actual.equals(expected)) {
                err().println("SHA-256 mismatch: expected " + expected + ", got " + actual + "; nothing written");
                err().flush();
                return ApiOptions.ERROR;
            }
            Files.write(output, bytes.body());
            out().println("downloaded " + bytes.body().length + " bytes to " + output + " sha256=" + actual);
            out().flush();
            return 0;
        } catch (IOException e) {
            err().println("cannot download: " + e);
            err().flush();
            return ApiOptions.UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ApiOptions.UNREACHABLE;
        }
    }

    static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private java.io.PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private java.io.PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
