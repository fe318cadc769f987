-- A node's plans, newest first (history, the open plan, the last outcome).
CREATE INDEX IF NOT EXISTS sync_records_device_seq ON sync_records (device_id, seq DESC);
