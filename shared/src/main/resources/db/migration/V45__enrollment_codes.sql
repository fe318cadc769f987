-- One-time enrollment codes of the command dispatcher: an operator pre-registers a device id and
-- hands the device a code that registers exactly that id, once, before it expires. Only the code's
-- SHA-256 is stored, never the code. A device id with an open code (not used, not revoked, not
-- expired) is reserved: the fleet enrollment key cannot claim it. Runs unchanged on CockroachDB
-- and PostgreSQL.
CREATE TABLE IF NOT EXISTS enrollment_codes (
    code_id     UUID        NOT NULL PRIMARY KEY,
    device_id   TEXT        NOT NULL,
    code_hash   TEXT        NOT NULL UNIQUE,
    created_by  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ,
    used_from   TEXT,
    revoked_at  TIMESTAMPTZ,
    revoked_by  TEXT
);
