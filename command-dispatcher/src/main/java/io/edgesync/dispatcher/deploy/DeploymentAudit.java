package io.edgesync.dispatcher.deploy;

import io.edgesync.dispatcher.store.Columns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The audit trail of deployments ({@code deployment_audit}): who deployed, replaced or undeployed
 * which function version for which selector, and when; written in the transaction of the change.
 */
public final class DeploymentAudit {
    static final String DEPLOYED = "deployed";
    static final String REPLACED = "replaced";
    static final String UNDEPLOYED = "undeployed";

    private DeploymentAudit() {
    }

    /** One change, as the API shows it. */
    public record Event(String eventId, String at, String actor, String action, String deploymentId,
                        String functionId, String name, String version, DeploymentView.Selector selector,
                        int order) {
    }

    static void record(Connection c, String action, DeploymentView d, String actor, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DeploymentService.SQL.get("audit-insert"))) {
            ps.setObject(1, UUID.randomUUID());
            Columns.setInstant(ps, 2, now);
            ps.setString(3, actor);
            ps.setString(4, action);
            ps.setObject(5, UUID.fromString(d.id()));
            ps.setObject(6, UUID.fromString(d.functionId()));
            ps.setString(7, d.name());
            ps.setString(8, d.version());
            ps.setString(9, d.selector().type());
            ps.setString(10, d.selector().value());
            ps.setInt(11, d.order());
            ps.executeUpdate();
        }
    }

    /** Newest first; {@code deploymentId} null: every deployment. */
    static List<Event> list(Connection c, UUID deploymentId, int limit) throws SQLException {
        List<Event> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(DeploymentService.SQL.get("audit-list"))) {
            ps.setObject(1, deploymentId);
            ps.setObject(2, deploymentId);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Event(rs.getObject("event_id", UUID.class).toString(),
                            Columns.instant(rs, "at").toString(), rs.getString("actor"), rs.getString("action"),
                            rs.getObject("deployment_id", UUID.class).toString(),
                            rs.getObject("function_id", UUID.class).toString(), rs.getString("function_name"),
                            rs.getString("version"), new DeploymentView.Selector(rs.getString("selector_type"),
                            rs.getString("selector_value")), rs.getInt("apply_order")));
                }
            }
        }
        return out;
    }
}
