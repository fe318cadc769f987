package io.edgesync.dispatcher.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesync.dispatcher.schema.EdgeSchema;
import io.edgesync.shared.json.Json;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The diff of a node's tracked state against its target, as an ordered list of actions: every
 * schema version above the tracked one (in version order), then {@code remove_function} for each
 * tracked function no longer targeted, then {@code deploy_function} for each targeted function the
 * node does not run at that version and hash, or at that order when the node reported one (in
 * deployment order). Pure: no database, no clock.
 */
public final class SyncPlanner {
    public static final String APPLY_SCHEMA = "apply_schema";
    public static final String DEPLOY_FUNCTION = "deploy_function";
    public static final String REMOVE_FUNCTION = "remove_function";

    private SyncPlanner() {
    }

    /** @param trackedFunctions [{id, name, version, hash, order?}] from the last successful acknowledgement, or null */
    public static ArrayNode actions(List<EdgeSchema> pendingSchemas, JsonNode trackedFunctions,
                                    List<FunctionTargets.Target> targets) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (EdgeSchema s : pendingSchemas) {
            out.addObject().put("type", APPLY_SCHEMA).put("version", s.version()).put("description", s.description())
                    .put("upSql", s.upSql());
        }
        Map<String, JsonNode> tracked = new HashMap<>();
        if (trackedFunctions != null && trackedFunctions.isArray()) {
            trackedFunctions.forEach(f -> tracked.put(f.path("name").asText(), f));
        }
        Set<String> targeted = new HashSet<>();
        targets.forEach(t -> targeted.add(t.name()));
        for (Map.Entry<String, JsonNode> e : new java.util.TreeMap<>(tracked).entrySet()) {
            if (!targeted.contains(e.getKey())) {
                JsonNode f = e.getValue();
                out.addObject().put("type", REMOVE_FUNCTION).put("id", f.path("id").asText())
                        .put("name", e.getKey()).put("version", f.path("version").asText());
            }
        }
        for (FunctionTargets.Target t : targets) {
            JsonNode have = tracked.get(t.name());
            boolean reordered = have != null && have.has("order") && have.path("order").asInt() != t.order();
            if (have == null || !t.version().equals(have.path("version").asText())
                    || !t.hash().equals(have.path("hash").asText()) || reordered) {
                ObjectNode a = out.addObject().put("type", DEPLOY_FUNCTION).put("id", t.id()).put("name", t.name())
                        .put("version", t.version()).put("hash", t.hash());
                a.putNull("url");
                a.put("order", t.order());
            }
        }
        return out;
    }

    /** The functions a node runs after a plan succeeds: its targets. */
    public static ArrayNode functionState(List<FunctionTargets.Target> targets) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (FunctionTargets.Target t : targets) {
            out.addObject().put("id", t.id()).put("name", t.name()).put("version", t.version()).put("hash", t.hash())
                    .put("order", t.order());
        }
        return out;
    }

    public static int count(JsonNode actions, String type) {
        int n = 0;
        for (JsonNode a : actions) {
            if (type.equals(a.path("type").asText())) {
                n++;
            }
        }
        return n;
    }
}
