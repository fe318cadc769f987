package io.edgesync.agent.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A plan as {@code GET /api/v1/nodes/{id}/sync} answers it: schema actions, then function actions,
 * in the order to apply. An empty plan has no {@code syncId}; {@code blockedSyncId} names a plan that
 * failed permanently and is not handed out again until the target changes.
 */
public record SyncPlan(String syncId, String syncType, List<Action> actions, String blockedSyncId) {
    public static final String APPLY_SCHEMA = "apply_schema";
    public static final String DEPLOY_FUNCTION = "deploy_function";
    public static final String REMOVE_FUNCTION = "remove_function";

    /** One action; the fields its type does not use are null ({@code order} 0). */
    public record Action(String type, long schemaVersion, String description, String upSql, String id, String name,
                         String version, String hash, String url, int order) {
    }

    public boolean empty() {
        return syncId == null || actions.isEmpty();
    }

    public static SyncPlan parse(JsonNode body) {
        List<Action> actions = new ArrayList<>();
        for (JsonNode a : body.path("actions")) {
            String type = a.path("type").asText();
            if (APPLY_SCHEMA.equals(type)) {
                actions.add(new Action(type, a.path("version").asLong(), a.path("description").asText(null),
                        a.path("upSql").asText(), null, null, null, null, null, 0));
            } else {
                actions.add(new Action(type, 0, null, null, a.path("id").asText(null), a.path("name").asText(null),
                        a.path("version").asText(null), a.path("hash").asText(null), a.path("url").asText(null),
                        a.path("order").asInt(0)));
            }
        }
        return new SyncPlan(text(body.get("syncId")), body.path("syncType").asText(null), List.copyOf(actions),
                text(body.path("blocked").get("syncId")));
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
