-- Command dispatcher: token versions and revocation, per-device command order, device clock.
-- One schema change per migration (CockroachDB's advice for schema changes inside transactions);
-- runs unchanged on CockroachDB and PostgreSQL.
ALTER TABLE devices
    ADD COLUMN IF NOT EXISTS token_version BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS token_status  TEXT   NOT NULL DEFAULT 'active',
    ADD COLUMN IF NOT EXISTS command_seq   BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS device_time   TIMESTAMPTZ;
