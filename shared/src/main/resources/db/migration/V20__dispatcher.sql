-- Command dispatcher: token versions and revocation, per-device command order, reported state.
-- Runs unchanged on CockroachDB and PostgreSQL (DDL only, one ALTER per table).

ALTER TABLE devices
    ADD COLUMN IF NOT EXISTS token_version BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS token_status  TEXT   NOT NULL DEFAULT 'active',
    ADD COLUMN IF NOT EXISTS command_seq   BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS device_time   TIMESTAMPTZ;

ALTER TABLE commands
    ADD COLUMN IF NOT EXISTS seq        BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS updated_at TIMESTAMPTZ;

-- Delivery in creation order per device, and the expiry sweep.
CREATE INDEX IF NOT EXISTS commands_device_seq ON commands (device_id, seq);
CREATE INDEX IF NOT EXISTS commands_status_expiry ON commands (status, expires_at);
CREATE INDEX IF NOT EXISTS device_configs_device_version ON device_configs (device_id, version);
