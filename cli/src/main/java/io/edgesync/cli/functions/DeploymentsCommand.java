package io.edgesync.cli.functions;

import io.edgesync.shared.json.Json;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code edgesync deployments put|list|show|status|audit|delete}: function deployments on a running dispatcher. */
@Command(name = "deployments", mixinStandardHelpOptions = true,
        description = "Deploys function versions to devices on a running dispatcher (docs/api.md, Deployments): "
            + "answers are the API's JSON on stdout; an error's body goes to stderr with exit code 1, an "
            + "unreachable dispatcher is 2.")
public final class DeploymentsCommand {
    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions options;

    /** Exactly one selector. */
    static final class Selector {
        @Option(names = "--device", description = "One device id.")
        String device;
        @Option(names = "--device-type", description = "Every device of this type.")
        String deviceType;
        @Option(names = "--label", description = "Every device whose metadata.labels has key=value.")
        String label;
    }

    @Command(name = "put", description = "Assigns a function version to a selector (replacing another version of "
            + "the same function name there): 201 new, 200 replaced or unchanged.")
    int put(@Option(names = "--function", required = true, paramLabel = "ID", description = "Function id.") String functionId,
            @ArgGroup(exclusive = true, multiplicity = "1") Selector selector,
            @Option(names = "--order", defaultValue = "0", paramLabel = "N", description = "Apply order, ascending (default 0).") int order) {
        var body = Json.mapper().createObjectNode().put("functionId", functionId).put("order", order);
        var sel = body.putObject("selector");
        if (selector.device != null) {
            sel.put("deviceId", selector.device);
        } else if (selector.deviceType != null) {
            sel.put("deviceType", selector.deviceType);
        } else {
            sel.put("label", selector.label);
        }
        return options.print(api -> api.put("/api/v1/deployments", Json.toString(body)), out(), err());
    }

    @Command(name = "list", description = "Lists deployments, optionally of one function id.")
    int list(@Option(names = "--function", description = "Only this function id.") String functionId) {
        String q = functionId == null ? "" : "?functionId=" + query(functionId);
        return options.print(api -> api.get("/api/v1/deployments" + q), out(), err());
    }

    @Command(name = "show", description = "Shows one deployment.")
    int show(@Parameters(paramLabel = "ID") String id) {
        return options.print(api -> api.get("/api/v1/deployments/" + FunctionsCommand.path(id)), out(), err());
    }

    @Command(name = "status", description = "The rollout: each selected device running, pending, failed or overridden.")
    int status(@Parameters(paramLabel = "ID") String id) {
        return options.print(api -> api.get("/api/v1/deployments/" + FunctionsCommand.path(id) + "/devices"), out(),
                err());
    }

    @Command(name = "audit", description = "Who deployed, replaced or undeployed what, newest first.")
    int audit(@Option(names = "--deployment", description = "Only this deployment id.") String deploymentId) {
        String q = deploymentId == null ? "" : "?deploymentId=" + query(deploymentId);
        return options.print(api -> api.get("/api/v1/deployments/audit" + q), out(), err());
    }

    @Command(name = "delete", description = "Undeploys: the selected devices remove the function with their next sync.")
    int delete(@Parameters(paramLabel = "ID") String id) {
        return options.print(api -> api.delete("/api/v1/deployments/" + FunctionsCommand.path(id)), out(), err());
    }

    private static String query(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
