package io.edgesync.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.cli.functions.ApiOptions;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edgesync devices list|show|revoke|rotate}: the device registry of a running dispatcher. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "Lists, shows, revokes and rotates devices on a running dispatcher (docs/api.md). "
                + "Exit codes: docs/operations.md (Operator CLI).")
public final class DevicesCommand {
    @Spec
    CommandSpec spec;
    @Mixin
    ApiOptions api;
    @Mixin
    Output output;

    @Command(name = "list", description = "Devices by id with presence, last seen, pending records and clock skew.")
    int list(@Option(names = "--status", description = "online, offline or registered.") String status,
             @Option(names = "--limit", defaultValue = "100", description = "At most this many (default 100).") int limit,
             @Option(names = "--after", description = "The device id to continue after (nextAfter).") String after) {
        StringBuilder q = new StringBuilder("?limit=").append(limit);
        if (status != null) {
            q.append("&status=").append(enc(status));
        }
        if (after != null) {
            q.append("&after=").append(enc(after));
        }
        return output.call(api, a -> a.get("/api/v1/devices" + q), DevicesCommand::table, out(), err());
    }

    @Command(name = "show", description = "One device.")
    int show(@Parameters(paramLabel = "DEVICE") String id) {
        return output.call(api, a -> a.get("/api/v1/devices/" + enc(id)), DevicesCommand::fields, out(), err());
    }

    @Command(name = "revoke", description = "Revokes the device's token: the gateway and dispatcher refuse it from now on.")
    int revoke(@Parameters(paramLabel = "DEVICE") String id) {
        return output.call(api, a -> a.delete("/api/v1/devices/" + enc(id) + "/token"), DevicesCommand::fields,
                out(), err());
    }

    @Command(name = "rotate", description = "Issues the device a new token (printed once) and retires the old one.")
    int rotate(@Parameters(paramLabel = "DEVICE") String id) {
        return output.call(api, a -> a.post("/api/v1/devices/" + enc(id) + "/token", null), DevicesCommand::fields,
                out(), err());
    }

    static String table(JsonNode body) {
        Table t = new Table("DEVICE", "TYPE", "STATUS", "TOKEN", "LAST SEEN", "PENDING", "SKEW MS", "AGENT");
        for (JsonNode d : body.path("devices")) {
            t.row(d.path("deviceId"), d.path("deviceType"), d.path("status"), d.path("tokenStatus"),
                    d.path("lastSeenAt"), d.path("pendingRecords"), d.path("clockSkewMs"), d.path("agentVersion"));
        }
        String next = body.path("nextAfter").isTextual() ? "next page: --after " + body.path("nextAfter").asText() + "\n"
                : "";
        return t + next;
    }

    /** An object as two columns, field and value. */
    static String fields(JsonNode body) {
        Table t = new Table("FIELD", "VALUE");
        body.fields().forEachRemaining(e -> t.row(e.getKey(), e.getValue()));
        return t.toString();
    }

    static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
