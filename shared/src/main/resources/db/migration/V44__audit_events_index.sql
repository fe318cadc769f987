-- The audit log is read newest first: all of it, one device's, or one kind's.
CREATE INDEX IF NOT EXISTS audit_events_at ON audit_events (at DESC, event_id DESC);
CREATE INDEX IF NOT EXISTS audit_events_device ON audit_events (device_id, at DESC, event_id DESC);
CREATE INDEX IF NOT EXISTS audit_events_kind ON audit_events (kind, at DESC, event_id DESC);
CREATE INDEX IF NOT EXISTS audit_events_subject ON audit_events (subject, at DESC, event_id DESC);
