-- The relay reads the outbox oldest first.
CREATE INDEX IF NOT EXISTS event_outbox_created ON event_outbox (created_at);
