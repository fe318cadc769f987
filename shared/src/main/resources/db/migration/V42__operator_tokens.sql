-- Operator and viewer API tokens of the command dispatcher: one row per issued token (its JWT id), so
-- tokens can be listed and revoked by id. A token without a row here is refused. Only the id is stored,
-- never the token. Runs unchanged on CockroachDB and PostgreSQL.
CREATE TABLE IF NOT EXISTS operator_tokens (
    token_id    TEXT        NOT NULL PRIMARY KEY,
    name        TEXT        NOT NULL,
    role        TEXT        NOT NULL CHECK (role IN ('operator', 'viewer')),
    issued_by   TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ,
    revoked_by  TEXT
);
