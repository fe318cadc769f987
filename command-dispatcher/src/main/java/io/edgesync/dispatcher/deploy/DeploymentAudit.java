package io.edgesync.dispatcher.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesync.dispatcher.audit.Actor;
import io.edgesync.dispatcher.audit.AuditEvent;
import io.edgesync.dispatcher.audit.AuditKind;
import io.edgesync.dispatcher.audit.AuditLog;
import io.edgesync.dispatcher.store.Columns;
import io.edgesync.shared.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The audit trail of deployments: who deployed, replaced or undeployed which function version for
 * which selector, and when. Kept in the security audit log ({@code audit_events}, kinds
 * {@code deployment.*}, subject the deployment id), written in the transaction of the change.
 */
public final class DeploymentAudit {
    static final String DEPLOYED = AuditKind.DEPLOYMENT_DEPLOYED;
    static final String REPLACED = AuditKind.DEPLOYMENT_REPLACED;
    static final String UNDEPLOYED = AuditKind.DEPLOYMENT_UNDEPLOYED;
    private static final String PREFIX = "deployment.";

    private DeploymentAudit() {
    }

    /** One change, as the API shows it ({@code action}: deployed, replaced or undeployed). */
    public record Event(String eventId, String at, String actor, String action, String deploymentId,
                        String functionId, String name, String version, DeploymentView.Selector selector,
                        int order) {
    }

    static void record(Connection c, String kind, DeploymentView d, Actor actor, Instant now) throws SQLException {
        ObjectNode detail = Json.mapper().createObjectNode().put("functionId", d.functionId()).put("name", d.name())
                .put("version", d.version()).put("order", d.order());
        detail.putObject("selector").put("type", d.selector().type()).put("value", d.selector().value());
        String deviceId = "device".equals(d.selector().type()) ? d.selector().value() : null;
        AuditLog.write(c, AuditEvent.success(kind, actor, d.id(), deviceId, detail, now));
    }

    /** Newest first; {@code deploymentId} null: every deployment. */
    static List<Event> list(Connection c, UUID deploymentId, int limit) throws SQLException {
        List<Event> out = new ArrayList<>();
        String subject = deploymentId == null ? null : deploymentId.toString();
        try (PreparedStatement ps = c.prepareStatement(DeploymentService.SQL.get("audit-list"))) {
            ps.setString(1, subject);
            ps.setString(2, subject);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JsonNode detail = Columns.json(rs, "detail");
                    out.add(new Event(rs.getObject("event_id", UUID.class).toString(),
                            Columns.instant(rs, "at").toString(), rs.getString("actor_id"),
                            rs.getString("kind").substring(PREFIX.length()), rs.getString("subject"),
                            detail.path("functionId").asText(), detail.path("name").asText(),
                            detail.path("version").asText(), new DeploymentView.Selector(
                            detail.path("selector").path("type").asText(),
                            detail.path("selector").path("value").asText()), detail.path("order").asInt()));
                }
            }
        }
        return out;
    }
}
