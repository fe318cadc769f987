package io.edgesync.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.cli.functions.ApiOptions;
import io.edgesync.shared.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code edgesync config get|set}: a device's desired configuration (and what it reported applying). */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Reads and sets device configuration on a running dispatcher (docs/api.md, Configuration).")
public final class ConfigCommand {
    @Spec
    CommandSpec spec;
    @Mixin
    ApiOptions api;
    @Mixin
    Output output;

    @Command(name = "get", description = "The device's entries (desired value, version, applied), or one key's.")
    int get(@Parameters(index = "0", paramLabel = "DEVICE") String device,
            @Parameters(index = "1", arity = "0..1", paramLabel = "KEY") String key) {
        return output.call(api, a -> a.get("/api/v1/devices/" + DevicesCommand.enc(device) + "/config"),
                body -> table(body, key), out(), err());
    }

    @Command(name = "set", description = "Sets KEY to VALUE (JSON; text that is not JSON is taken as a string).")
    int set(@Parameters(index = "0", paramLabel = "DEVICE") String device,
            @Parameters(index = "1", paramLabel = "KEY") String key,
            @Parameters(index = "2", paramLabel = "VALUE") String value) {
        var body = Json.mapper().createObjectNode();
        body.set("value", parse(value));
        return output.call(api, a -> a.put("/api/v1/devices/" + DevicesCommand.enc(device) + "/config/"
                + DevicesCommand.enc(key), Json.toString(body)), DevicesCommand::fields, out(), err());
    }

    private JsonNode parse(String value) {
        try {
            return Json.mapper().readTree(value);
        } catch (IOException notJson) {
            if (value.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "VALUE must not be empty");
            }
            return Json.mapper().getNodeFactory().textNode(value);
        }
    }

    private static String table(JsonNode body, String key) {
        Table t = new Table("KEY", "VALUE", "VERSION", "APPLIED", "UPDATED");
        for (JsonNode e : body.path("entries")) {
            if (key == null || key.equals(e.path("key").asText())) {
                t.row(e.path("key"), e.path("value"), e.path("version"), e.path("applied"), e.path("updatedAt"));
            }
        }
        return t + "desired version " + Table.cell(body.path("desiredVersion")) + ", reported "
                + Table.cell(body.path("reportedVersion")) + (body.path("inSync").asBoolean() ? " (in sync)\n" : "\n");
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
