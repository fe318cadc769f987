package io.edgesync.agent.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How the local store trades safety for speed and how much it may hold.
 *
 * @param durability  {@code full}: every accepted record survives a power cut (fsync per commit);
 *                    {@code normal}: survives a crash of the agent, a power cut may lose the last commits
 * @param maxRecords  most records kept (any status); reaching it prunes settled records first
 * @param whenFull    what happens when unsynced records alone fill the store
 * @param retention   synced and failed records older than this are pruned
 */
public record StoreOptions(Durability durability, long maxRecords, FullPolicy whenFull, Duration retention) {

    public enum Durability { FULL, NORMAL }

    public enum FullPolicy { REJECT_NEW, DROP_OLDEST }

    public StoreOptions {
        Objects.requireNonNull(durability);
        Objects.requireNonNull(whenFull);
        Objects.requireNonNull(retention);
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be >= 1");
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(Durability.FULL, 2_000_000, FullPolicy.REJECT_NEW, Duration.ofDays(7));
    }
}
