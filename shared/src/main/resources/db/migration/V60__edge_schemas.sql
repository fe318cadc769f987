-- Edge schema migrations registered centrally (docs/database.md): they run at the edge, in the
-- device's SQLite store, on the user's tables. Versions strictly increase; a row is never changed.
-- Runs unchanged on CockroachDB and PostgreSQL.
CREATE TABLE IF NOT EXISTS edge_schemas (
    version       BIGINT      NOT NULL PRIMARY KEY,
    description   TEXT        NOT NULL,
    up_sql        TEXT        NOT NULL,
    down_sql      TEXT,
    checksum      TEXT        NOT NULL,
    registered_by TEXT        NOT NULL,
    registered_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
