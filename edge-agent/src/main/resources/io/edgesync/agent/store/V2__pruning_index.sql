-- retention pruning and drop-oldest look up settled records by age, pending ones by age
CREATE INDEX IF NOT EXISTS telemetry_data_status_synced_at ON telemetry_data (sync_status, sync_timestamp);
CREATE INDEX IF NOT EXISTS command_queue_status ON command_queue (status, received_at);
INSERT OR IGNORE INTO agent_state (state_key, value) VALUES ('dropped_records', '0');
