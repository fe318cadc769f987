-- Nodes are devices: the region attribute and the tracked sync state (schema version and deployed
-- functions, [{id, name, version, hash}]) that moves only with a successful sync acknowledgement.
ALTER TABLE devices
    ADD COLUMN IF NOT EXISTS region         TEXT,
    ADD COLUMN IF NOT EXISTS schema_version BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS functions      JSONB;
