package io.edgesync.dispatcher.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.dispatcher.audit.Actor;
import io.edgesync.dispatcher.audit.AuditEvent;
import io.edgesync.dispatcher.audit.AuditKind;
import io.edgesync.dispatcher.audit.AuditLog;
import io.edgesync.dispatcher.device.DeviceService;
import io.edgesync.dispatcher.device.DeviceStore;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The command life cycle. Every change happens in one database transaction (so several dispatcher
 * instances agree), then is published to {@code command.events}, and waiting long-polls of the
 * device are woken. A command past its TTL counts as expired whether or not the sweep marked it yet.
 */
public final class CommandService {
    private final Transactions tx;
    private final EventPublisher events;
    private final Consumer<String> created;
    private final Clock clock;
    private final Timing timing;

    /** The time limits of the life cycle. */
    public record Timing(Duration defaultTtl, Duration maxTtl, Duration visibilityTimeout, int maxPerPoll) {
    }

    /** A state change and the command as it now is. */
    private record Changed(CommandView command, List<CommandEvent> events) {
    }

    /** @param created told the device id after a command for it is committed (wakes long-polls) */
    public CommandService(Transactions tx, EventPublisher events, Consumer<String> created, Clock clock,
                          Timing timing) {
        this.tx = Objects.requireNonNull(tx);
        this.events = Objects.requireNonNull(events);
        this.created = Objects.requireNonNull(created);
        this.clock = Objects.requireNonNull(clock);
        this.timing = Objects.requireNonNull(timing);
    }

    public Timing timing() {
        return timing;
    }

    /** Creates a pending command; the audit event {@code command.created} is written in its transaction. */
    public CommandView create(String deviceId, String type, JsonNode payload, Long ttlSeconds, Actor actor)
            throws SQLException {
        Duration ttl = ttl(ttlSeconds);
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        CommandView command = tx.inTransaction(c -> {
            Long seq = CommandStore.nextSeq(c, deviceId);
            if (seq == null) {
                throw DeviceService.notFound(deviceId);
            }
            CommandStore.insert(c, id, deviceId, type, payload, now, now.plus(ttl), seq);
            AuditLog.write(c, AuditEvent.success(AuditKind.COMMAND_CREATED, actor, deviceId, deviceId,
                    detail(id, type), now));
            return CommandStore.get(c, id, false);
        });
        events.commandEvents(List.of(event(command, null, now)));
        created.accept(deviceId);
        return command;
    }

    /** The TTL asked for, or the default; more than the maximum is 400. */
    Duration ttl(Long ttlSeconds) {
        Duration ttl = ttlSeconds == null ? timing.defaultTtl() : Duration.ofSeconds(ttlSeconds);
        if (ttl.compareTo(timing.maxTtl()) > 0) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "ttlSeconds must be at most "
                    + timing.maxTtl().toSeconds(), Map.of("field", "ttlSeconds"), null);
        }
        return ttl;
    }

    private static JsonNode detail(UUID commandId, String type) {
        return Json.mapper().createObjectNode().put("commandId", commandId.toString()).put("commandType", type);
    }

    public CommandView get(UUID commandId) throws SQLException {
        return get(commandId, deviceId -> true);
    }

    /**
     * The command, if {@code mayRead} accepts its device; otherwise 404 exactly as for a command that
     * does not exist, decided before anything changes (a command past its TTL is expired only after).
     */
    public CommandView get(UUID commandId, Predicate<String> mayRead) throws SQLException {
        Changed changed = tx.inTransaction(c -> {
            CommandView command = CommandStore.get(c, commandId, false);
            if (command == null || !mayRead.test(command.deviceId())) {
                throw notFound(commandId);
            }
            return isPastTtl(command) ? expireDue(c, command.deviceId()) : new Changed(command, List.of());
        });
        events.commandEvents(changed.events());
        return changed.command() != null ? changed.command() : tx.inTransaction(c -> CommandStore.get(c, commandId, false));
    }

    public List<CommandView> list(String deviceId, CommandStatus status, int limit) throws SQLException {
        Changed changed = tx.inTransaction(c -> {
            if (!DeviceStore.exists(c, deviceId)) {
                throw DeviceService.notFound(deviceId);
            }
            return expireDue(c, deviceId);
        });
        events.commandEvents(changed.events());
        return tx.inTransaction(c -> CommandStore.list(c, deviceId, status, limit));
    }

    /** Pending (and timed-out delivered) commands of the device, in creation order, now marked delivered. */
    public List<CommandView> deliver(String deviceId) throws SQLException {
        Instant now = clock.instant();
        List<CommandEvent> published = new ArrayList<>();
        List<CommandView> delivered = tx.inTransaction(c -> {
            published.clear();
            published.addAll(expireDue(c, deviceId).events());
            List<CommandView> due = CommandStore.deliverable(c, deviceId, now.minus(timing.visibilityTimeout()), now,
                    timing.maxPerPoll());
            if (due.isEmpty()) {
                return due;
            }
            CommandStore.markDelivered(c, due, now);
            List<CommandView> out = new ArrayList<>(due.size());
            for (CommandView d : due) {
                CommandView sent = delivered(d, now);
                published.add(event(sent, d.status(), now));
                out.add(sent);
            }
            return out;
        });
        events.commandEvents(published);
        return delivered;
    }

    /** The device reports the outcome; the same report twice is a no-op, a contradicting one 409. */
    public CommandView ack(String deviceId, UUID commandId, CommandStatus outcome, JsonNode result)
            throws SQLException {
        Instant now = clock.instant();
        Changed changed = tx.inTransaction(c -> {
            CommandView command = CommandStore.get(c, commandId, true);
            if (command == null) {
                throw notFound(commandId);
            }
            if (!command.deviceId().equals(deviceId)) {
                throw notFound(commandId); // another device's command: not revealed, nothing changed
            }
            if (command.state() == outcome) {
                return new Changed(command, List.of());
            }
            if (isPastTtl(command)) {
                return expireDue(c, deviceId);
            }
            if (command.state() != CommandStatus.DELIVERED) {
                throw conflict(command, "command is " + command.status() + "; it cannot become " + outcome.wire());
            }
            CommandStore.finish(c, command.commandId(), outcome, result, now);
            CommandView done = CommandStore.get(c, commandId, false);
            return new Changed(done, List.of(event(done, command.status(), now)));
        });
        events.commandEvents(changed.events());
        if (changed.command() == null || changed.command().state() != outcome) {
            CommandView current = changed.command() != null ? changed.command() : get(commandId);
            throw conflict(current, "command is " + current.status() + "; it cannot become " + outcome.wire());
        }
        return changed.command();
    }

    /** pending or delivered → cancelled; cancelling again is a no-op; a finished command is 409. */
    public CommandView cancel(UUID commandId, Actor actor) throws SQLException {
        Instant now = clock.instant();
        Changed changed = tx.inTransaction(c -> {
            CommandView command = CommandStore.get(c, commandId, true);
            if (command == null) {
                throw notFound(commandId);
            }
            if (command.state() == CommandStatus.CANCELLED) {
                return new Changed(command, List.of());
            }
            if (isPastTtl(command)) {
                return expireDue(c, command.deviceId());
            }
            if (!command.state().open()) {
                throw conflict(command, "command is already " + command.status());
            }
            CommandStore.finish(c, command.commandId(), CommandStatus.CANCELLED, null, now);
            AuditLog.write(c, AuditEvent.success(AuditKind.COMMAND_CANCELLED, actor, command.deviceId(),
                    command.deviceId(), detail(commandId, command.commandType()), now));
            CommandView done = CommandStore.get(c, commandId, false);
            return new Changed(done, List.of(event(done, command.status(), now)));
        });
        events.commandEvents(changed.events());
        if (changed.command() == null || changed.command().state() != CommandStatus.CANCELLED) {
            CommandView current = get(commandId);
            throw conflict(current, "command is already " + current.status());
        }
        return changed.command();
    }

    /** Marks expired every open command past its TTL, in batches; called by the sweep. */
    public int expireAllDue(int batch) throws SQLException {
        Instant now = clock.instant();
        List<CommandEvent> published = tx.inTransaction(c -> {
            List<CommandEvent> out = new ArrayList<>();
            for (CommandView d : CommandStore.due(c, null, now, batch)) {
                CommandStore.finish(c, d.commandId(), CommandStatus.EXPIRED, null, now);
                out.add(event(d, CommandStatus.EXPIRED, d.status(), now));
            }
            return out;
        });
        events.commandEvents(published);
        return published.size();
    }

    private boolean isPastTtl(CommandView command) {
        return command.state().open() && command.expiresAt() != null
                && !Instant.parse(command.expiresAt()).isAfter(clock.instant());
    }

    /** Expires the device's due commands; the returned command is null (callers re-read). */
    private Changed expireDue(Connection c, String deviceId) throws SQLException {
        Instant now = clock.instant();
        List<CommandEvent> out = new ArrayList<>();
        for (CommandView d : CommandStore.due(c, deviceId, now, Integer.MAX_VALUE)) {
            CommandStore.finish(c, d.commandId(), CommandStatus.EXPIRED, null, now);
            out.add(event(d, CommandStatus.EXPIRED, d.status(), now));
        }
        return new Changed(null, out);
    }

    private static CommandView delivered(CommandView d, Instant now) {
        return new CommandView(d.commandId(), d.deviceId(), d.commandType(), d.payload(),
                CommandStatus.DELIVERED.wire(), d.result(), d.seq(), d.createdAt(), d.expiresAt(), now.toString(),
                d.deliveryCount() + 1, d.completedAt(), d.groupId());
    }

    static CommandEvent event(CommandView c, String previous, Instant at) {
        return new CommandEvent(c.commandId(), c.deviceId(), c.commandType(), c.status(), previous,
                c.deliveryCount(), at.toEpochMilli(), c.groupId());
    }

    static CommandEvent event(CommandView c, CommandStatus status, String previous, Instant at) {
        return new CommandEvent(c.commandId(), c.deviceId(), c.commandType(), status.wire(), previous,
                c.deliveryCount(), at.toEpochMilli(), c.groupId());
    }

    private static ApiException notFound(UUID commandId) {
        return new ApiException(ErrorCode.NOT_FOUND, "no command " + commandId);
    }

    private static ApiException conflict(CommandView command, String message) {
        return new ApiException(ErrorCode.CONFLICT, message, Map.of("status", command.status()), null);
    }
}
