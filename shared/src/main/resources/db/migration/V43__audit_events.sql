-- The security audit log of the command dispatcher: registrations (accepted and refused), device and
-- operator token issue, rotation and revocation, operator writes, config changes, commands created and
-- cancelled, deployments, enrollment codes. Each row is written in the transaction of the change it
-- records (a refusal in its own), together with its record for topic audit.events in event_outbox.
-- Rows are never updated. Runs unchanged on CockroachDB and PostgreSQL.
CREATE TABLE IF NOT EXISTS audit_events (
    event_id        UUID        NOT NULL PRIMARY KEY,
    at              TIMESTAMPTZ NOT NULL,
    kind            TEXT        NOT NULL,
    outcome         TEXT        NOT NULL CHECK (outcome IN ('success', 'refused')),
    actor_kind      TEXT        NOT NULL,
    actor_id        TEXT        NOT NULL,
    credential_id   TEXT,
    remote_address  TEXT,
    subject         TEXT        NOT NULL,
    device_id       TEXT,
    error_code      TEXT,
    detail          JSONB
);
