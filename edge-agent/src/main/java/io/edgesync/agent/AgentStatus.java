package io.edgesync.agent;

import io.edgesync.agent.store.DeviceConfigStore;
import io.edgesync.agent.store.LocalStore;
import io.edgesync.agent.store.SyncLog;
import io.edgesync.agent.store.SyncLogEntry;
import java.util.List;

/**
 * What {@code edgesync agent status} prints, read from the store (safe while the agent runs: WAL
 * lets another process read).
 *
 * @param lastSync    the newest upward sync_log row, or null
 * @param lastError   the newest error in sync_log (either direction), or null
 * @param syncStopped why uploads are stopped (a 401), or null
 */
public record AgentStatus(String deviceId, long pending, long syncing, long synced, long failed, long dropped,
                          SyncLogEntry lastSync, String lastError, long configVersion, String syncStopped) {

    public static AgentStatus read(LocalStore store) {
        List<SyncLogEntry> recent = new SyncLog(store).recent(200);
        SyncLogEntry lastUp = recent.stream().filter(e -> e.direction().equals("up")).findFirst().orElse(null);
        String lastError = recent.stream().filter(e -> e.error() != null).map(SyncLogEntry::error).findFirst()
                .orElse(null);
        return new AgentStatus(store.state(AgentState.DEVICE_ID), store.count("pending"), store.count("syncing"),
                store.count("synced"), store.count("failed"), store.droppedRecords(), lastUp, lastError,
                new DeviceConfigStore(store).version(), store.state(AgentState.SYNC_STOPPED));
    }
}
