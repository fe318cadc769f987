-- when last_sync_status / last_error were last reported (agent heartbeat or sink); the latest report wins
ALTER TABLE sync_status ADD COLUMN IF NOT EXISTS status_at TIMESTAMPTZ;
