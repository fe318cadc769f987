package io.edgesync.dispatcher.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.audit.Actor;
import io.edgesync.dispatcher.audit.AuditEvent;
import io.edgesync.dispatcher.audit.AuditKind;
import io.edgesync.dispatcher.audit.AuditLog;
import io.edgesync.dispatcher.deploy.DeploymentView;
import io.edgesync.dispatcher.deploy.Selection;
import io.edgesync.dispatcher.events.CommandEvent;
import io.edgesync.dispatcher.events.EventPublisher;
import io.edgesync.shared.db.Transactions;
import io.edgesync.shared.error.ApiException;
import io.edgesync.shared.error.ErrorCode;
import io.edgesync.shared.json.Json;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commands: one command for every device a selector matches, fanned out as individual commands
 * sharing a group id, {@code batchSize} devices per transaction (one statement numbers them, one batch
 * inserts them, one batch audits them). Each committed batch is published to {@code command.events}
 * and wakes the devices' long-polls. Re-sending a create with the same {@code groupId} resumes a
 * fan-out a failure interrupted (devices that have their command are skipped). Cancel works in
 * batches too, and stops a fan-out still running.
 */
public final class CommandGroups {
    private static final Logger LOG = LoggerFactory.getLogger(CommandGroups.class);
    private static final String UNIQUE_VIOLATION = "23505";

    private final Transactions tx;
    private final EventPublisher events;
    private final Consumer<String> created;
    private final Clock clock;
    private final CommandService commands;
    private final int batchSize;
    private final int maxDevices;

    /** What a group command is created with; {@code groupId} null: a new one. */
    public record Request(UUID groupId, String commandType, JsonNode payload, Long ttlSeconds,
                          DeploymentView.Selector selector) {
    }

    /** The group and whether this request created it (false: it existed and was resumed). */
    public record Created(CommandGroupView group, boolean created) {
    }

    /** The group as fan-out needs it. */
    private record Plan(UUID id, List<String> devices, Instant expiresAt, boolean created) {
    }

    public CommandGroups(Transactions tx, EventPublisher events, Consumer<String> created, Clock clock,
                         CommandService commands, int batchSize, int maxDevices) {
        this.tx = Objects.requireNonNull(tx);
        this.events = Objects.requireNonNull(events);
        this.created = Objects.requireNonNull(created);
        this.clock = Objects.requireNonNull(clock);
        this.commands = Objects.requireNonNull(commands);
        this.batchSize = batchSize;
        this.maxDevices = maxDevices;
    }

    public int maxDevices() {
        return maxDevices;
    }

    public Created create(Request r, Actor actor) throws SQLException {
        Duration ttl = commands.ttl(r.ttlSeconds());
        Plan plan = planned(r, ttl, actor);
        int made = 0;
        for (int from = 0; from < plan.devices().size(); from += batchSize) {
            List<String> chunk = plan.devices().subList(from, Math.min(from + batchSize, plan.devices().size()));
            List<CommandView> batch = tx.inTransaction(c -> fanOut(c, plan, r, chunk, actor));
            if (batch == null) {
                break; // cancelled meanwhile
            }
            events.commandEvents(batch.stream().map(v -> CommandService.event(v, null, clock.instant())).toList());
            batch.forEach(v -> created.accept(v.deviceId()));
            made += batch.size();
        }
        LOG.info("event=command_group_created group_id={} command_type={} selector_type={} devices={} created={} "
                        + "resumed={} actor={}", plan.id(), r.commandType(), r.selector().type(), plan.devices().size(),
                made, !plan.created(), actor.id());
        return new Created(get(plan.id()), plan.created());
    }

    /**
     * Plans the group; when a concurrent request with the same {@code groupId} inserted it first (SQLSTATE
     * 23505 once that one committed), plans again, as a resend would be: the same group resumed, or 409.
     * Fan-outs of one group are serialised by the group row lock, so no device gets the command twice.
     */
    private Plan planned(Request r, Duration ttl, Actor actor) throws SQLException {
        try {
            return tx.inTransaction(c -> plan(c, r, ttl, actor));
        } catch (SQLException e) {
            if (r.groupId() == null || !UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            LOG.info("event=command_group_create_raced group_id={} actor={}", r.groupId(), actor.id());
            return tx.inTransaction(c -> plan(c, r, ttl, actor));
        }
    }

    private Plan plan(Connection c, Request r, Duration ttl, Actor actor) throws SQLException {
        Instant now = clock.instant();
        CommandGroupView existing = r.groupId() == null ? null : CommandGroupStore.get(c, r.groupId());
        if (existing != null && (!existing.commandType().equals(r.commandType())
                || !existing.selector().type().equals(r.selector().type()))) {
            throw new ApiException(ErrorCode.CONFLICT, "groupId " + r.groupId()
                    + " names a group command with another commandType or selector", Map.of("field", "groupId"), null);
        }
        List<String> devices = selected(c, r.selector());
        if (existing != null) {
            Instant createdAt = Instant.parse(existing.createdAt());
            return new Plan(r.groupId(), devices, createdAt.plusSeconds(existing.ttlSeconds()), false);
        }
        UUID id = r.groupId() != null ? r.groupId() : UUID.randomUUID();
        CommandGroupStore.insert(c, new CommandGroupStore.NewGroup(id, r.commandType(), r.payload(), r.selector(),
                devices.size(), ttl.toSeconds(), actor.id(), now));
        JsonNode detail = Json.mapper().createObjectNode().put("groupId", id.toString())
                .put("commandType", r.commandType()).put("selectorType", r.selector().type())
                .put("devices", devices.size());
        AuditLog.write(c, AuditEvent.success(AuditKind.COMMAND_GROUP_CREATED, actor, id.toString(), null, detail, now));
        return new Plan(id, devices, now.plus(ttl), true);
    }

    /** The devices of the selector; an ids selector naming unknown devices, none, or too many is 400. */
    private List<String> selected(Connection c, DeploymentView.Selector s) throws SQLException {
        List<String> devices = Selection.devices(c, s);
        if ("ids".equals(s.type())) {
            Set<String> unknown = new LinkedHashSet<>(List.of(s.value().split(",")));
            devices.forEach(unknown::remove);
            if (!unknown.isEmpty()) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, unknown.size() + " of selector.deviceIds are not "
                        + "registered devices", Map.of("field", "selector.deviceIds",
                        "unknownDeviceIds", unknown.stream().limit(20).toList()), null);
            }
        }
        if (devices.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "selector matches no registered device",
                    Map.of("field", "selector"), null);
        }
        if (devices.size() > maxDevices) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "selector matches " + devices.size()
                    + " devices; a group command may select at most " + maxDevices
                    + " (dispatcher.command-group-max-devices)", Map.of("field", "selector"), null);
        }
        return devices;
    }

    /** One batch; null when the group was cancelled (the cancel holds the group row while it marks it). */
    private List<CommandView> fanOut(Connection c, Plan plan, Request r, List<String> chunk, Actor actor)
            throws SQLException {
        if (CommandGroupStore.lockCancelled(c, plan.id())) {
            return null;
        }
        Instant now = clock.instant();
        Set<String> done = CommandGroupStore.alreadyFannedOut(c, plan.id(), chunk);
        List<String> todo = chunk.stream().filter(d -> !done.contains(d)).toList();
        if (todo.isEmpty()) {
            return List.of();
        }
        Map<String, Long> seqs = CommandGroupStore.nextSeqs(c, todo);
        List<CommandView> out = new ArrayList<>(seqs.size());
        List<AuditEvent> audit = new ArrayList<>(seqs.size());
        String group = plan.id().toString();
        for (Map.Entry<String, Long> e : seqs.entrySet()) {
            String id = UUID.randomUUID().toString();
            out.add(new CommandView(id, e.getKey(), r.commandType(), r.payload(), CommandStatus.PENDING.wire(), null,
                    e.getValue(), now.toString(), plan.expiresAt().toString(), null, 0, null, group));
            audit.add(AuditEvent.success(AuditKind.COMMAND_CREATED, actor, e.getKey(), e.getKey(),
                    detail(id, r.commandType(), group), now));
        }
        CommandGroupStore.insertCommands(c, out, plan.id(), now, plan.expiresAt());
        AuditLog.writeAll(c, audit);
        return out;
    }

    /** The group with its counts; 404 when there is none. */
    public CommandGroupView get(UUID groupId) throws SQLException {
        Instant now = clock.instant();
        return tx.inTransaction(c -> {
            CommandGroupView g = CommandGroupStore.get(c, groupId);
            if (g == null) {
                throw notFound(groupId);
            }
            return g.withCounts(CommandGroupStore.counts(c, groupId, now));
        });
    }

    /** The newest groups, each with its counts. */
    public List<CommandGroupView> list(int limit) throws SQLException {
        Instant now = clock.instant();
        return tx.inTransaction(c -> {
            List<CommandGroupView> out = new ArrayList<>();
            for (CommandGroupView g : CommandGroupStore.list(c, limit)) {
                out.add(g.withCounts(CommandGroupStore.counts(c, UUID.fromString(g.groupId()), now)));
            }
            return out;
        });
    }

    /** A page of the group's commands by device id; a command past its TTL shows expired. */
    public List<CommandView> commands(UUID groupId, CommandStatus status, String after, int limit) throws SQLException {
        Instant now = clock.instant();
        return tx.inTransaction(c -> {
            if (CommandGroupStore.get(c, groupId) == null) {
                throw notFound(groupId);
            }
            return CommandGroupStore.commands(c, groupId, status, after, limit, now).stream()
                    .map(v -> effective(v, now)).toList();
        });
    }

    /**
     * Cancels every open command of the group (one past its TTL becomes expired), batch by batch, and
     * stops a fan-out still running. Again: a no-op apart from commands a previous cancel left open.
     */
    public CommandGroupView cancel(UUID groupId, Actor actor) throws SQLException {
        Instant first = clock.instant();
        tx.inTransaction(c -> {
            CommandGroupView g = CommandGroupStore.get(c, groupId);
            if (g == null) {
                throw notFound(groupId);
            }
            if (CommandGroupStore.markCancelled(c, groupId, first)) {
                AuditLog.write(c, AuditEvent.success(AuditKind.COMMAND_GROUP_CANCELLED, actor, groupId.toString(),
                        null, Json.mapper().createObjectNode().put("groupId", groupId.toString())
                                .put("commandType", g.commandType()), first));
            }
            return null;
        });
        int cancelled = 0;
        while (true) {
            List<CommandEvent> batch = tx.inTransaction(c -> cancelBatch(c, groupId, actor));
            events.commandEvents(batch);
            cancelled += (int) batch.stream().filter(e -> CommandStatus.CANCELLED.wire().equals(e.status())).count();
            if (batch.size() < batchSize) {
                break;
            }
        }
        LOG.info("event=command_group_cancelled group_id={} cancelled={} actor={}", groupId, cancelled, actor.id());
        return get(groupId).withCancelled(cancelled);
    }

    private List<CommandEvent> cancelBatch(Connection c, UUID groupId, Actor actor) throws SQLException {
        Instant now = clock.instant();
        List<CommandView> open = CommandGroupStore.open(c, groupId, batchSize);
        Map<String, CommandStatus> finish = new LinkedHashMap<>();
        List<CommandEvent> out = new ArrayList<>(open.size());
        List<AuditEvent> audit = new ArrayList<>();
        for (CommandView v : open) {
            boolean expired = v.expiresAt() != null && !Instant.parse(v.expiresAt()).isAfter(now);
            CommandStatus to = expired ? CommandStatus.EXPIRED : CommandStatus.CANCELLED;
            finish.put(v.commandId(), to);
            out.add(CommandService.event(v, to, v.status(), now));
            if (!expired) {
                audit.add(AuditEvent.success(AuditKind.COMMAND_CANCELLED, actor, v.deviceId(), v.deviceId(),
                        detail(v.commandId(), v.commandType(), groupId.toString()), now));
            }
        }
        if (!finish.isEmpty()) {
            CommandGroupStore.finish(c, finish, now);
            AuditLog.writeAll(c, audit);
        }
        return out;
    }

    private static CommandView effective(CommandView v, Instant now) {
        if (v.state().open() && v.expiresAt() != null && !Instant.parse(v.expiresAt()).isAfter(now)) {
            return new CommandView(v.commandId(), v.deviceId(), v.commandType(), v.payload(),
                    CommandStatus.EXPIRED.wire(), v.result(), v.seq(), v.createdAt(), v.expiresAt(), v.deliveredAt(),
                    v.deliveryCount(), v.completedAt(), v.groupId());
        }
        return v;
    }

    private static JsonNode detail(String commandId, String type, String groupId) {
        return Json.mapper().createObjectNode().put("commandId", commandId).put("commandType", type)
                .put("groupId", groupId);
    }

    private static ApiException notFound(UUID groupId) {
        return new ApiException(ErrorCode.NOT_FOUND, "no group command " + groupId);
    }
}
