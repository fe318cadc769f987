package io.edgesync.shared.tables;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One row of a synced table as it travels through {@code table-rows.raw} and {@code table-rows.clean}
 * (docs/topics.md). {@code key} is the key column's value as text; {@code version} orders the
 * versions of one row (the agent's read order: a later read is a higher version);
 * {@code values} holds the defined columns only.
 */
public record TableRow(String table, String hostId, String key, long version, String batchId, long receivedAt,
                       ObjectNode values) {

    /** The identity dedupe and last-write-wins work on: (host, table, key). */
    public String identity() {
        return hostId + '\u0000' + table + '\u0000' + key;
    }
}
