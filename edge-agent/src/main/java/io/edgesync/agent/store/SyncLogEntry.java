package io.edgesync.agent.store;

/** One row of {@code sync_log}: a sync cycle in one direction ({@code up}, {@code down}). */
public record SyncLogEntry(String direction, long startedAt, long finishedAt, int sent, int accepted, int rejected,
                           String status, String error) {
}
