-- Edge functions: immutable WebAssembly artifacts. (name, version) is written once; the bytes live in
-- object storage under storage_path (wasm-functions/{name}/{version}/function.wasm), hash is their
-- SHA-256 (lower-case hex). Runs unchanged on CockroachDB and PostgreSQL.
CREATE TABLE IF NOT EXISTS functions (
    function_id  UUID        NOT NULL PRIMARY KEY,
    name         TEXT        NOT NULL,
    version      TEXT        NOT NULL,
    hash         TEXT        NOT NULL,
    size_bytes   BIGINT      NOT NULL,
    storage_path TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    CONSTRAINT functions_name_version UNIQUE (name, version)
);
