-- Edge schema migrations (CockroachDB and PostgreSQL).

-- name: lock-head
SELECT latest_version FROM edge_schema_head WHERE id = 1 FOR UPDATE;

-- name: move-head
UPDATE edge_schema_head SET latest_version = ? WHERE id = 1;

-- name: insert-schema
INSERT INTO edge_schemas (version, description, up_sql, down_sql, checksum, registered_by, registered_at)
VALUES (?, ?, ?, ?, ?, ?, ?);

-- name: schemas-after
SELECT version, description, up_sql, down_sql, checksum, registered_by, registered_at
FROM edge_schemas WHERE version > ? ORDER BY version;

-- name: schema-exists
SELECT 1 FROM edge_schemas WHERE version = ?;
