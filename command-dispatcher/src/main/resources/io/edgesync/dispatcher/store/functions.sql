-- name: insert
INSERT INTO functions (function_id, name, version, hash, size_bytes, storage_path, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name, version) DO NOTHING;

-- name: by-name-version
SELECT function_id, name, version, hash, size_bytes, storage_path, created_at FROM functions
WHERE name = ? AND version = ?;

-- name: by-id
SELECT function_id, name, version, hash, size_bytes, storage_path, created_at FROM functions WHERE function_id = ?;

-- name: lock-by-id
-- a delete and a deployment of the version serialize on this row
SELECT function_id, name, version, hash, size_bytes, storage_path, created_at FROM functions WHERE function_id = ?
FOR UPDATE;

-- name: list
SELECT function_id, name, version, hash, size_bytes, storage_path, created_at FROM functions
WHERE (CAST(? AS TEXT) IS NULL OR name = ?) ORDER BY name, created_at, version LIMIT ?;

-- name: deployed-count
SELECT (SELECT count(*) FROM function_deployments WHERE function_id = ?)
     + (SELECT count(*) FROM node_function_deployments WHERE function_id = ?);

-- name: device-may-fetch
SELECT count(*) FROM node_function_deployments WHERE function_id = ? AND device_id = ?;

-- name: delete
DELETE FROM functions WHERE function_id = ?;
