-- table sync (docs/edge-agent.md, "Table sources"): one row per sync run of one source table,
-- shipped to the central sync_logs when the control plane can be reached (shipped = 1 after it
-- acknowledged), and the rows the gateway refused, which are not sent again in that version
CREATE TABLE IF NOT EXISTS table_sync_runs (
    id             TEXT    NOT NULL PRIMARY KEY,
    table_name     TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    started_at     INTEGER NOT NULL,
    completed_at   INTEGER NOT NULL,
    records_synced INTEGER NOT NULL,
    records_failed INTEGER NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('success', 'partial_success', 'failed')),
    error_message  TEXT,
    shipped        INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX IF NOT EXISTS table_sync_runs_unshipped ON table_sync_runs (shipped, started_at);

CREATE TABLE IF NOT EXISTS table_sync_rejected (
    source      TEXT    NOT NULL,
    row_key     TEXT    NOT NULL,
    row_version INTEGER NOT NULL,
    code        TEXT,
    reason      TEXT,
    rejected_at INTEGER NOT NULL,
    PRIMARY KEY (source, row_key, row_version)
);
