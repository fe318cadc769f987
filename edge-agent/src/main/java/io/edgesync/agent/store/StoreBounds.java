package io.edgesync.agent.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code telemetry_data} within {@link StoreOptions#maxRecords()}: settled (synced, failed)
 * records are pruned first, oldest settled first; then reject-new refuses the write, or drop-oldest
 * deletes the oldest pending records, counts them in {@code agent_state.dropped_records} and logs it.
 */
final class StoreBounds {
    private static final Logger LOG = LoggerFactory.getLogger(StoreBounds.class);

    private final StoreOptions options;

    StoreBounds(StoreOptions options) {
        this.options = Objects.requireNonNull(options);
    }

    /**
     * Makes room for {@code incoming} records in the caller's transaction.
     *
     * @return how many records it deleted
     * @throws StoreFullException when the records cannot be taken; the caller rolls back
     */
    long makeRoom(Connection c, long total, int incoming) throws SQLException {
        long over = total + incoming - options.maxRecords();
        if (over <= 0) {
            return 0;
        }
        if (incoming > options.maxRecords()) {
            throw new StoreFullException("a batch of " + incoming + " records is larger than agent.store.max-records="
                    + options.maxRecords());
        }
        int pruned = deleteOldest(c, "sync_status IN ('synced', 'failed')", "sync_timestamp", over);
        if (pruned > 0) {
            LOG.info("event=settled_records_pruned reason=store_full records={}", pruned);
        }
        over -= pruned;
        if (over <= 0) {
            return pruned;
        }
        if (options.whenFull() == StoreOptions.FullPolicy.REJECT_NEW) {
            throw new StoreFullException("the local store holds agent.store.max-records=" + options.maxRecords()
                    + " unsynced records; new records are refused until some are synced (policy reject-new)");
        }
        int dropped = deleteOldest(c, "sync_status = 'pending'", "rowid", over);
        AgentStateSql.add(c, AgentStateSql.DROPPED_RECORDS, dropped);
        LOG.warn("event=unsynced_records_dropped policy=drop-oldest records={} total_dropped={}", dropped,
                AgentStateSql.getLong(c, AgentStateSql.DROPPED_RECORDS));
        if (over > dropped) {
            throw new StoreFullException("the local store is full of records being synced; try again shortly");
        }
        return pruned + dropped;
    }

    private static int deleteOldest(Connection c, String where, String order, long count) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM telemetry_data WHERE rowid IN"
                + " (SELECT rowid FROM telemetry_data WHERE " + where + " ORDER BY " + order + " LIMIT ?)")) {
            ps.setLong(1, count);
            return ps.executeUpdate();
        }
    }
}
