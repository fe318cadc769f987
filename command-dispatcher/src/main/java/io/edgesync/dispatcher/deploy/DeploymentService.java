package io.edgesync.dispatcher.deploy;

import io.edgesync.dispatcher.audit.Actor;
import io.edgesync.dispatcher.function.FunctionService;
import io.edgesync.dispatcher.store.Columns;
import io.edgesync.dispatcher.store.Sql;
import io.edgesync.shared.db.Transactions;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deployments of function versions to selectors (one device, a device type, a label): put (one version
 * of a function name per selector, so putting another version replaces it), list, get, delete, each
 * change written to the audit log ({@link DeploymentAudit}) in its own transaction, and the rollout of one deployment
 * over the devices it selects ({@link Rollouts}). What devices get is {@link Targets}.
 */
public final class DeploymentService {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentService.class);
    static final Sql SQL = Sql.load("deployments.sql");

    /** A put's outcome: {@code created} when the selector had no version of the function before. */
    public record Put(DeploymentView deployment, boolean created, boolean changed) {
    }

    private final Transactions tx;
    private final FunctionService functions;
    private final Clock clock;

    public DeploymentService(Transactions tx, FunctionService functions, Clock clock) {
        this.tx = Objects.requireNonNull(tx);
        this.functions = Objects.requireNonNull(functions);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The port sync plans use. */
    public Targets targets() {
        return new Targets(functions, clock);
    }

    /** Assigns the function version to the selector at the order; the same again changes nothing. */
    public Put put(String functionId, DeploymentView.Selector selector, int order, Actor actor) throws SQLException {
        UUID fid = parseFunction(functionId);
        Instant now = clock.instant();
        Put put = tx.inTransaction(c -> {
            String name = lockFunction(c, fid, functionId);
            DeploymentView before = bySelector(c, name, selector);
            if (before != null && before.functionId().equals(fid.toString()) && before.order() == order) {
                return new Put(before, false, false);
            }
            UUID id = before == null ? UUID.randomUUID() : UUID.fromString(before.id());
            try (PreparedStatement ps = c.prepareStatement(SQL.get(before == null ? "insert" : "update"))) {
                if (before == null) {
                    ps.setObject(1, id);
                    ps.setObject(2, fid);
                    ps.setString(3, name);
                    ps.setString(4, selector.type());
                    ps.setString(5, selector.value());
                    ps.setInt(6, order);
                    Columns.setInstant(ps, 7, now);
                    Columns.setInstant(ps, 8, now);
                } else {
                    ps.setObject(1, fid);
                    ps.setInt(2, order);
                    Columns.setInstant(ps, 3, now);
                    ps.setObject(4, id);
                }
                ps.executeUpdate();
            }
            DeploymentView after = bySelector(c, name, selector);
            DeploymentAudit.record(c, before == null ? DeploymentAudit.DEPLOYED : DeploymentAudit.REPLACED, after,
                    actor, now);
            return new Put(after, before == null, true);
        });
        if (put.changed()) {
            DeploymentView d = put.deployment();
            LOG.info("event=function_deployed deployment_id={} name={} version={} selector_type={} order={} actor={}",
                    d.id(), d.name(), d.version(), d.selector().type(), d.order(), actor.id());
        }
        return put;
    }

    public List<DeploymentView> list(String functionId, int limit) throws SQLException {
        UUID fid = functionId == null ? null : parseFunction(functionId);
        return tx.inTransaction(c -> {
            List<DeploymentView> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SQL.get("list"))) {
                ps.setObject(1, fid);
                ps.setObject(2, fid);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(view(rs));
                    }
                }
            }
            return out;
        });
    }

    public DeploymentView get(String id) throws SQLException {
        UUID uuid = parse(id);
        return tx.inTransaction(c -> byId(c, uuid, id));
    }

    /** Undeploys: devices it selected get remove_function (or another deployment's version) with their next plan. */
    public void delete(String id, Actor actor) throws SQLException {
        UUID uuid = parse(id);
        Instant now = clock.instant();
        DeploymentView gone = tx.inTransaction(c -> {
            DeploymentView d = byId(c, uuid, id);
            try (PreparedStatement ps = c.prepareStatement(SQL.get("delete"))) {
                ps.setObject(1, uuid);
                ps.executeUpdate();
            }
            DeploymentAudit.record(c, DeploymentAudit.UNDEPLOYED, d, actor, now);
            return d;
        });
        LOG.info("event=function_undeployed deployment_id={} name={} version={} selector_type={} actor={}",
                gone.id(), gone.name(), gone.version(), gone.selector().type(), actor.id());
    }

    /** The rollout of one deployment: the state of each device its selector matches. */
    public Rollouts.Rollout rollout(String id, int limit) throws SQLException {
        UUID uuid = parse(id);
        return tx.inTransaction(c -> Rollouts.of(c, byId(c, uuid, id), limit));
    }

    public List<DeploymentAudit.Event> audit(String deploymentId, int limit) throws SQLException {
        UUID uuid = deploymentId == null ? null : parse(deploymentId);
        return tx.inTransaction(c -> DeploymentAudit.list(c, uuid, limit));
    }

    /** Locks the function's row (a concurrent delete of the version waits, then sees the deployment). */
    private static String lockFunction(Connection c, UUID fid, String functionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("lock-function"))) {
            ps.setObject(1, fid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new ApiException(ErrorCode.NOT_FOUND, "no function " + functionId,
                            Map.of("field", "functionId"), null);
                }
                return rs.getString("name");
            }
        }
    }

    private static DeploymentView bySelector(Connection c, String name, DeploymentView.Selector selector)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("by-selector"))) {
            ps.setString(1, name);
            ps.setString(2, selector.type());
            ps.setString(3, selector.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? view(rs) : null;
            }
        }
    }

    private static DeploymentView byId(Connection c, UUID uuid, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.get("by-id"))) {
            ps.setObject(1, uuid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw notFound(id);
                }
                return view(rs);
            }
        }
    }

    static DeploymentView view(ResultSet rs) throws SQLException {
        return new DeploymentView(rs.getObject("deployment_id", UUID.class).toString(),
                rs.getObject("function_id", UUID.class).toString(), rs.getString("function_name"),
                rs.getString("version"), rs.getString("hash"), new DeploymentView.Selector(
                rs.getString("selector_type"), rs.getString("selector_value")), rs.getInt("apply_order"),
                Columns.instant(rs, "created_at").toString(), Columns.instant(rs, "updated_at").toString());
    }

    private static UUID parseFunction(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.NOT_FOUND, "no function " + id, Map.of("field", "functionId"), null);
        }
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        }
    }

    private static ApiException notFound(String id) {
        return new ApiException(ErrorCode.NOT_FOUND, "no deployment " + id, Map.of(), null);
    }
}
