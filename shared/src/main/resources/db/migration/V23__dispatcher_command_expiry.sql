-- The expiry sweep: open commands by expiry time.
CREATE INDEX IF NOT EXISTS commands_status_expiry ON commands (status, expires_at);
