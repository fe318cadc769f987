-- edge schema migrations registered centrally that this store has applied (docs/edge-agent.md):
-- one row per version, written in the same transaction as the migration's SQL, so the local
-- schema version after a crash is exactly what was committed
CREATE TABLE IF NOT EXISTS edge_schema_history (
    version     INTEGER NOT NULL PRIMARY KEY,
    description TEXT,
    checksum    TEXT    NOT NULL,
    sync_id     TEXT,
    applied_at  INTEGER NOT NULL
);
