package io.edgesync.agent.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesync.agent.store.CommandQueue;
import io.edgesync.agent.sync.UploadException;
import io.edgesync.shared.json.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes delivered commands into {@code command_queue}, runs each once through the handler
 * registered for its type (an unknown type fails with the reason), and acknowledges results. An
 * acknowledgement that could not be sent is sent again on the next round, never the command run again.
 */
public final class CommandRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);

    /** Counts of one round. */
    public record Round(int received, int executed, int failed, int acknowledged) {
    }

    private final CommandQueue queue;
    private final Map<String, CommandHandler> handlers;

    public CommandRunner(CommandQueue queue, Map<String, CommandHandler> handlers) {
        this.queue = Objects.requireNonNull(queue);
        this.handlers = Map.copyOf(handlers);
    }

    /** Stores delivered commands; returns how many were new. */
    public int receive(List<DispatcherClient.Command> commands) {
        int fresh = 0;
        for (DispatcherClient.Command c : commands) {
            if (queue.offer(c.commandId(), c.commandType(), c.payload() == null ? null : c.payload().toString())) {
                fresh++;
            } else {
                LOG.info("event=duplicate_command_ignored command={}", c.commandId());
            }
        }
        return fresh;
    }

    /** Runs every received command; returns {executed, failed}. */
    public int[] runReceived() {
        int executed = 0;
        int failed = 0;
        for (CommandQueue.QueuedCommand c = queue.claimNext(); c != null; c = queue.claimNext()) {
            CommandHandler.Outcome outcome = run(c);
            queue.complete(c.commandId(), outcome.executed(), outcome.result());
            LOG.info("event=command_run command={} type={} status={}", c.commandId(), c.commandType(),
                    outcome.executed() ? "executed" : "failed");
            if (outcome.executed()) {
                executed++;
            } else {
                failed++;
            }
        }
        return new int[] {executed, failed};
    }

    private CommandHandler.Outcome run(CommandQueue.QueuedCommand c) {
        CommandHandler handler = handlers.get(c.commandType());
        if (handler == null) {
            return CommandHandler.Outcome.failed("unknown command type '" + c.commandType() + "'; this agent handles "
                    + handlers.keySet().stream().sorted().toList());
        }
        try {
            JsonNode payload = c.payload() == null ? null : Json.mapper().readTree(c.payload());
            CommandHandler.Outcome outcome = handler.handle(payload);
            return outcome == null ? CommandHandler.Outcome.executed(null) : outcome;
        } catch (IOException e) {
            return CommandHandler.Outcome.failed("payload is not JSON");
        } catch (Exception e) {
            return CommandHandler.Outcome.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Sends every unacknowledged result; stops at the first that cannot be sent now. */
    public int acknowledge(DispatcherClient client) throws UploadException {
        int acked = 0;
        for (CommandQueue.QueuedCommand c : queue.unacknowledged()) {
            try {
                client.ack(c.commandId(), "executed".equals(c.status()), result(c));
            } catch (UploadException e) {
                if (e.retryable() || e.unauthorized()) {
                    throw e;
                }
                // 404 (expired, cancelled) or 409 (contradicting): the dispatcher settled it; keep ours
                LOG.warn("event=ack_refused command={} status={} reason=\"{}\"", c.commandId(), e.status(),
                        e.getMessage());
            }
            queue.markAcknowledged(c.commandId());
            acked++;
        }
        return acked;
    }

    /** The result as acknowledged: JSON for an executed command of a JSON-result handler, else the text. */
    private Object result(CommandQueue.QueuedCommand c) {
        CommandHandler handler = handlers.get(c.commandType());
        if (handler != null && handler.jsonResult() && "executed".equals(c.status()) && c.result() != null) {
            try {
                return Json.mapper().readTree(c.result());
            } catch (IOException e) {
                return c.result(); // stored by an older agent as text: sent as it is
            }
        }
        return c.result();
    }

    /** One round: store, run, acknowledge. */
    public Round round(DispatcherClient client, List<DispatcherClient.Command> delivered) throws UploadException {
        int received = receive(delivered);
        int[] ran = runReceived();
        int acked = acknowledge(client);
        return new Round(received, ran[0], ran[1], acked);
    }
}
