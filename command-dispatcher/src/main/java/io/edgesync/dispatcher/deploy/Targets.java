package io.edgesync.dispatcher.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.function.FunctionService;
import io.edgesync.dispatcher.store.Columns;
import io.edgesync.dispatcher.sync.FunctionTargets;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The {@link FunctionTargets} port of sync plans on {@code function_deployments}: a device's target
 * is, per function name, the version of its most specific matching deployment (device, then label,
 * then type; ties by selector value), in ascending order, ties by name. What a device runs is recorded
 * in {@code node_function_deployments} from its successful acknowledgement.
 */
public final class Targets implements FunctionTargets {
    private final FunctionService functions;
    private final Clock clock;

    Targets(FunctionService functions, Clock clock) {
        this.functions = Objects.requireNonNull(functions);
        this.clock = Objects.requireNonNull(clock);
    }

    /** A target with the deployment that gives it. */
    record Match(String deploymentId, Target target) {
    }

    @Override
    public List<Target> targetedAt(Connection c, String deviceId) throws SQLException {
        return matches(c, deviceId).stream().map(Match::target).toList();
    }

    /** The winning deployment per function name for the device, in apply order. */
    static List<Match> matches(Connection c, String deviceId) throws SQLException {
        Map<String, Match> byName = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(DeploymentService.SQL.get("targets"))) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString("name");
                    byName.putIfAbsent(name, new Match(rs.getObject("deployment_id", UUID.class).toString(),
                            new Target(rs.getObject("function_id", UUID.class).toString(), name,
                                    rs.getString("version"), rs.getString("hash"), rs.getInt("apply_order"))));
                }
            }
        }
        List<Match> out = new ArrayList<>(byName.values());
        out.sort(Comparator.comparingInt((Match m) -> m.target().order()).thenComparing(m -> m.target().name()));
        return out;
    }

    /** Whether the function is in the device's target (a device may then fetch it). */
    public static boolean targets(Connection c, UUID functionId, String deviceId) throws SQLException {
        String id = functionId.toString();
        return matches(c, deviceId).stream().anyMatch(m -> m.target().id().equals(id));
    }

    @Override
    public String downloadUrl(String functionId) {
        try {
            var f = functions.get(functionId);
            return functions.signedUrl(f.name(), f.version());
        } catch (SQLException e) {
            throw new ApiException(ErrorCode.UNAVAILABLE, "database unavailable; retry", Map.of(),
                    java.time.Duration.ofSeconds(1));
        }
    }

    @Override
    public void recordRunning(Connection c, String deviceId, JsonNode running) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DeploymentService.SQL.get("clear-running"))) {
            ps.setString(1, deviceId);
            ps.executeUpdate();
        }
        if (running == null || !running.isArray()) {
            return;
        }
        Instant now = clock.instant();
        Set<String> seen = new HashSet<>();
        for (JsonNode f : running) {
            UUID id;
            try {
                id = UUID.fromString(f.path("id").asText());
            } catch (IllegalArgumentException e) {
                throw invalid("state.functions[].id must be a function id");
            }
            String name = f.path("name").asText();
            String version = f.path("version").asText();
            String hash = f.path("hash").asText();
            if (name.isEmpty() || version.isEmpty() || hash.isEmpty()) {
                throw invalid("state.functions[] entries need id, name, version and hash");
            }
            if (!seen.add(name)) {
                throw invalid("state.functions[] may list a function name once");
            }
            try (PreparedStatement ps = c.prepareStatement(DeploymentService.SQL.get("insert-running"))) {
                ps.setString(1, deviceId);
                ps.setString(2, name);
                ps.setObject(3, id);
                ps.setString(4, version);
                ps.setString(5, hash);
                ps.setInt(6, f.path("order").asInt(0));
                Columns.setInstant(ps, 7, now);
                ps.executeUpdate();
            }
        }
    }

    private static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_REQUEST, message, Map.of("field", "state.functions"), null);
    }
}
