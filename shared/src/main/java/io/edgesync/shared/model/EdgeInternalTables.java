package io.edgesync.shared.model;

import java.util.Locale;
import java.util.Set;

/**
 * The edge agent's own tables in the device's SQLite store. They keep their own migrations (in the
 * agent); edge schema migrations registered centrally may not create, alter, drop or write them.
 */
public final class EdgeInternalTables {
    public static final Set<String> NAMES = Set.of("telemetry_data", "device_config", "command_queue", "sync_log",
            "agent_state", "edge_schema_history", "edge_functions", "table_sync_runs", "table_sync_rejected");

    private EdgeInternalTables() {
    }

    public static boolean isInternal(String table) {
        return table != null && NAMES.contains(table.toLowerCase(Locale.ROOT));
    }
}
