package io.edgesync.agent.tables;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One unsynced row read from a source table: its key as SQLite returned it (to mark it), the key as
 * the gateway names it in a rejection, the row's change version and its column values.
 */
public record SourceRow(Object key, String keyText, long version, ObjectNode values) {
}
