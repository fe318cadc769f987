package io.edgesync.agent.cloud;

import io.edgesync.agent.sync.TelemetrySync;
import io.edgesync.agent.sync.UploadException;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The command types every agent handles: {@code ping} (answers with the device time),
 * {@code sync-now} (an upload cycle now, and a sync plan poll in the background) and {@code set-config} (fetch and apply config now).
 */
public final class BuiltInCommands {
    /** Fetches and applies config; returns the version held. */
    @FunctionalInterface
    public interface ConfigSync {
        long syncConfig() throws UploadException;
    }

    private BuiltInCommands() {
    }

    public static Map<String, CommandHandler> handlers(Clock clock, Supplier<TelemetrySync.CycleResult> syncNow,
                                                       ConfigSync config, Runnable pollPlan) {
        return Map.of(
                "ping", payload -> CommandHandler.Outcome.executed("pong deviceTime=" + clock.instant()),
                "sync-now", payload -> {
                    pollPlan.run();
                    TelemetrySync.CycleResult r = syncNow.get();
                    return r.ok() ? CommandHandler.Outcome.executed("sent=" + r.sent() + " accepted=" + r.accepted()
                            + " rejected=" + r.rejected()) : CommandHandler.Outcome.failed(r.failure().getMessage());
                },
                "set-config", payload -> CommandHandler.Outcome.executed("configVersion=" + config.syncConfig()));
    }
}
