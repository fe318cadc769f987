-- One row per sync plan handed to a node and its outcome (status pending | success | failed |
-- superseded; a pending plan past expires_at counts as expired).
CREATE TABLE IF NOT EXISTS sync_records (
    sync_id           UUID        NOT NULL PRIMARY KEY,
    device_id         TEXT        NOT NULL,
    seq               BIGINT      NOT NULL,
    sync_type         TEXT        NOT NULL,
    status            TEXT        NOT NULL,
    actions           JSONB       NOT NULL,
    actions_hash      TEXT        NOT NULL,
    from_schema       BIGINT      NOT NULL,
    to_schema         BIGINT      NOT NULL,
    schemas_applied   INT         NOT NULL DEFAULT 0,
    functions_added   INT         NOT NULL DEFAULT 0,
    functions_removed INT         NOT NULL DEFAULT 0,
    error_message     TEXT,
    retryable         BOOLEAN,
    reported_state    JSONB,
    created_at        TIMESTAMPTZ NOT NULL,
    expires_at        TIMESTAMPTZ NOT NULL,
    completed_at      TIMESTAMPTZ
);
