package io.edgesync.cli.agent;

import io.edgesync.agent.AgentConfig;
import io.edgesync.agent.AgentStatus;
import io.edgesync.agent.store.LocalStore;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code edgesync agent status}: counts and the last sync, read from the store (works while the agent runs). */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Prints pending, syncing, synced, failed and dropped counts, the last sync and the last error "
            + "as name=value lines, read from the agent's database (safe while the agent runs).")
final class AgentStatusCommand implements Callable<Integer> {
    @Mixin
    AgentOptions options;

    @Override
    public Integer call() {
        AgentConfig config = options.load();
        try (LocalStore store = LocalStore.open(config.databaseFile(), config.store(), Clock.systemUTC())) {
            AgentStatus s = AgentStatus.read(store);
            StringBuilder out = new StringBuilder();
            out.append("device=").append(s.deviceId() == null ? "" : s.deviceId()).append('\n');
            out.append("pending=").append(s.pending()).append('\n');
            out.append("syncing=").append(s.syncing()).append('\n');
            out.append("synced=").append(s.synced()).append('\n');
            out.append("failed=").append(s.failed()).append('\n');
            out.append("dropped=").append(s.dropped()).append('\n');
            out.append("config-version=").append(s.configVersion()).append('\n');
            if (s.lastSync() != null) {
                out.append("last-sync=").append(Instant.ofEpochMilli(s.lastSync().finishedAt())).append('\n');
                out.append("last-sync-status=").append(s.lastSync().status()).append('\n');
                out.append("last-sync-sent=").append(s.lastSync().sent()).append('\n');
            } else {
                out.append("last-sync=never\n");
            }
            out.append("last-error=").append(s.lastError() == null ? "" : s.lastError()).append('\n');
            out.append("sync-stopped=").append(s.syncStopped() == null ? "no" : s.syncStopped()).append('\n');
            System.out.print(out);
        }
        return 0;
    }
}
