-- Command dispatcher: commands numbered in creation order per device (devices.command_seq).
ALTER TABLE commands
    ADD COLUMN IF NOT EXISTS seq        BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS updated_at TIMESTAMPTZ;
