package io.edgesync.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesync.cli.functions.ApiOptions;
import io.edgesync.shared.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code edgesync commands send|list|show|cancel}: a command to one device, or a group command to
 * every device a selector matches (docs/api.md, Group commands), with its aggregated status.
 */
@Command(name = "commands", mixinStandardHelpOptions = true,
        description = "Sends, lists, shows and cancels commands on a running dispatcher; to one device (--device) "
                + "or as a group command to a type, a label or listed devices. Exit codes: docs/operations.md.")
public final class CommandsCommand {
    @Spec
    CommandSpec spec;
    @Mixin
    ApiOptions api;
    @Mixin
    Output output;

    /** Exactly one target. */
    static final class Target {
        @Option(names = "--device", description = "One device: a single command.")
        String device;
        @Option(names = "--device-type", description = "Every device of this type: a group command.")
        String deviceType;
        @Option(names = "--label", description = "Every device whose metadata.labels has key=value: a group command.")
        String label;
        @Option(names = "--devices", split = ",", description = "These device ids (comma-separated): a group command.")
        List<String> devices;
    }

    @Command(name = "send", description = "Creates a command for one device, or a group command (prints its counts).")
    int send(@Option(names = "--type", required = true, description = "The commandType.") String type,
             @Option(names = "--payload", description = "JSON payload.") String payload,
             @Option(names = "--ttl", paramLabel = "SECONDS", description = "ttlSeconds (default: the dispatcher's).") Long ttl,
             @Option(names = "--group-id", description = "A UUID you choose: sending again resumes instead of "
                     + "creating a second group.") String groupId,
             @ArgGroup(exclusive = true, multiplicity = "1") Target target) {
        ObjectNode body = Json.mapper().createObjectNode().put("commandType", type);
        if (payload != null) {
            body.set("payload", json(payload, "--payload"));
        }
        if (ttl != null) {
            body.put("ttlSeconds", ttl);
        }
        if (target.device != null) {
            return output.call(api, a -> a.post("/api/v1/devices/" + DevicesCommand.enc(target.device) + "/commands",
                    Json.toString(body)), DevicesCommand::fields, out(), err());
        }
        ObjectNode sel = body.putObject("selector");
        if (target.deviceType != null) {
            sel.put("deviceType", target.deviceType);
        } else if (target.label != null) {
            sel.put("label", target.label);
        } else {
            target.devices.forEach(sel.putArray("deviceIds")::add);
        }
        if (groupId != null) {
            body.put("groupId", groupId);
        }
        return output.call(api, a -> a.post("/api/v1/command-groups", Json.toString(body)), CommandsCommand::summary,
                out(), err());
    }

    @Command(name = "list", description = "A device's commands (--device), a group's (--group), or the newest groups.")
    int list(@Option(names = "--device", description = "Commands of this device, in creation order.") String device,
             @Option(names = "--group", description = "Commands of this group, by device id.") String group,
             @Option(names = "--status", description = "Only this status.") String status,
             @Option(names = "--limit", defaultValue = "100", description = "At most this many (default 100).") int limit) {
        String q = "?limit=" + limit + (status == null ? "" : "&status=" + DevicesCommand.enc(status));
        if (device != null && group != null) {
            throw new ParameterException(spec.commandLine(), "--device and --group are mutually exclusive");
        }
        if (device != null) {
            return output.call(api, a -> a.get("/api/v1/devices/" + DevicesCommand.enc(device) + "/commands" + q),
                    CommandsCommand::commands, out(), err());
        }
        if (group != null) {
            return output.call(api, a -> a.get("/api/v1/command-groups/" + DevicesCommand.enc(group) + "/commands" + q),
                    CommandsCommand::commands, out(), err());
        }
        return output.call(api, a -> a.get("/api/v1/command-groups?limit=" + Math.min(limit, 500)),
                CommandsCommand::groups, out(), err());
    }

    @Command(name = "show", description = "One command, or with --group a group command's aggregated status.")
    int show(@Parameters(paramLabel = "ID") String id,
             @Option(names = "--group", description = "ID is a group id.") boolean group) {
        if (group) {
            return output.call(api, a -> a.get("/api/v1/command-groups/" + DevicesCommand.enc(id)),
                    CommandsCommand::summary, out(), err());
        }
        return output.call(api, a -> a.get("/api/v1/commands/" + DevicesCommand.enc(id)), DevicesCommand::fields,
                out(), err());
    }

    @Command(name = "cancel", description = "Cancels a command, or with --group every open command of a group.")
    int cancel(@Parameters(paramLabel = "ID") String id,
               @Option(names = "--group", description = "ID is a group id.") boolean group) {
        if (group) {
            return output.call(api, a -> a.post("/api/v1/command-groups/" + DevicesCommand.enc(id) + "/cancel", null),
                    CommandsCommand::summary, out(), err());
        }
        return output.call(api, a -> a.post("/api/v1/commands/" + DevicesCommand.enc(id) + "/cancel", null),
                DevicesCommand::fields, out(), err());
    }

    /** A group's summary: what, to whom, and the count per status. */
    static String summary(JsonNode g) {
        JsonNode c = g.path("counts");
        StringBuilder out = new StringBuilder();
        out.append("group ").append(g.path("groupId").asText()).append(": ").append(g.path("commandType").asText())
                .append(" to ").append(g.path("devices").asInt()).append(" devices (")
                .append(g.path("selector").path("type").asText())
                .append(g.path("selector").path("value").isTextual() ? " " + g.path("selector").path("value").asText() : "")
                .append(")");
        if (g.path("cancelledAt").isTextual()) {
            out.append(", cancelled ").append(g.path("cancelledAt").asText());
        }
        out.append('\n');
        Table t = new Table("PENDING", "DELIVERED", "EXECUTED", "FAILED", "EXPIRED", "CANCELLED");
        t.row(c.path("pending"), c.path("delivered"), c.path("executed"), c.path("failed"), c.path("expired"),
                c.path("cancelled"));
        out.append(t);
        if (g.has("cancelledNow")) {
            out.append("cancelled now: ").append(g.path("cancelledNow").asInt()).append('\n');
        }
        return out.toString();
    }

    static String commands(JsonNode body) {
        Table t = new Table("COMMAND", "DEVICE", "TYPE", "STATUS", "CREATED", "DELIVERIES", "GROUP");
        for (JsonNode c : body.path("commands")) {
            t.row(c.path("commandId"), c.path("deviceId"), c.path("commandType"), c.path("status"),
                    c.path("createdAt"), c.path("deliveryCount"), c.path("groupId"));
        }
        return t.toString();
    }

    static String groups(JsonNode body) {
        Table t = new Table("GROUP", "TYPE", "DEVICES", "PENDING", "DELIVERED", "EXECUTED", "FAILED", "EXPIRED",
                "CANCELLED", "CREATED");
        for (JsonNode g : body.path("groups")) {
            JsonNode c = g.path("counts");
            t.row(g.path("groupId"), g.path("commandType"), g.path("devices"), c.path("pending"), c.path("delivered"),
                    c.path("executed"), c.path("failed"), c.path("expired"), c.path("cancelled"), g.path("createdAt"));
        }
        return t.toString();
    }

    private JsonNode json(String text, String option) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), option + " must be JSON: " + e.getMessage());
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
