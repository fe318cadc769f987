package io.edgesync.dispatcher.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.store.Columns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rollout of one deployment over the devices its selector matches, from what each device last
 * acknowledged: {@code running} (it runs this version and hash), {@code failed} (its latest plan
 * deploying this version failed; the edge's error), {@code pending} (not yet acknowledged), or
 * {@code overridden} (a more specific deployment of the same function name wins for that device).
 */
final class Rollouts {
    static final List<String> STATES = List.of("running", "pending", "failed", "overridden");

    private Rollouts() {
    }

    /** One device's state; {@code runningVersion} what it runs of the function name, if anything. */
    record DeviceState(String deviceId, String state, String runningVersion, String error, String since) {
    }

    /** {@code summary}: targeted and the count per state; {@code devices}: at most the limit, by id. */
    record Rollout(String deploymentId, Map<String, Integer> summary, List<DeviceState> devices) {
    }

    static Rollout of(Connection c, DeploymentView d, int limit) throws SQLException {
        Map<String, Integer> summary = new LinkedHashMap<>();
        summary.put("targeted", 0);
        STATES.forEach(s -> summary.put(s, 0));
        List<DeviceState> devices = new ArrayList<>();
        for (String deviceId : Selection.devices(c, d.selector())) {
            DeviceState state = state(c, d, deviceId);
            summary.merge("targeted", 1, Integer::sum);
            summary.merge(state.state(), 1, Integer::sum);
            if (devices.size() < limit) {
                devices.add(state);
            }
        }
        return new Rollout(d.id(), summary, devices);
    }

    private static DeviceState state(Connection c, DeploymentView d, String deviceId) throws SQLException {
        Optional<Targets.Match> winner = Targets.matches(c, deviceId).stream()
                .filter(m -> m.target().name().equals(d.name())).findFirst();
        String[] running = running(c, deviceId, d.name());
        String runningVersion = running == null ? null : running[0];
        if (winner.isPresent() && !winner.get().deploymentId().equals(d.id())) {
            return new DeviceState(deviceId, "overridden", runningVersion, null, null);
        }
        if (running != null && d.version().equals(running[0]) && d.hash().equals(running[1])) {
            return new DeviceState(deviceId, "running", runningVersion, null, running[2]);
        }
        try (PreparedStatement ps = c.prepareStatement(DeploymentService.SQL.get("latest-record"))) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && "failed".equals(rs.getString("status")) && deploys(Columns.json(rs, "actions"), d)) {
                    return new DeviceState(deviceId, "failed", runningVersion, rs.getString("error_message"),
                            Columns.instant(rs, "completed_at").toString());
                }
            }
        }
        return new DeviceState(deviceId, "pending", runningVersion, null, null);
    }

    private static boolean deploys(JsonNode actions, DeploymentView d) {
        if (actions != null) {
            for (JsonNode a : actions) {
                if ("deploy_function".equals(a.path("type").asText()) && d.functionId().equals(a.path("id").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {version, hash, deployedAt} of what the device runs of the name, or null. */
    private static String[] running(Connection c, String deviceId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DeploymentService.SQL.get("running"))) {
            ps.setString(1, deviceId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] {rs.getString("version"), rs.getString("hash"),
                        Columns.instant(rs, "deployed_at").toString()} : null;
            }
        }
    }
}
