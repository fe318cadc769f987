-- Nodes' sync plans and tracked state (CockroachDB and PostgreSQL).

-- name: lock-node
SELECT schema_version, functions FROM devices WHERE device_id = ? FOR UPDATE;

-- name: latest-record
SELECT * FROM sync_records WHERE device_id = ? ORDER BY seq DESC LIMIT 1;

-- name: supersede-open
UPDATE sync_records SET status = 'superseded', completed_at = ? WHERE device_id = ? AND status = 'pending';

-- name: insert-record
INSERT INTO sync_records (sync_id, device_id, seq, sync_type, status, actions, actions_hash, from_schema, to_schema,
                          created_at, expires_at)
VALUES (?, ?, ?, ?, 'pending', CAST(? AS JSONB), ?, ?, ?, ?, ?);

-- name: lock-record
SELECT * FROM sync_records WHERE sync_id = ? FOR UPDATE;

-- name: complete-record
UPDATE sync_records SET status = ?, schemas_applied = ?, functions_added = ?, functions_removed = ?,
                        error_message = ?, retryable = ?, reported_state = CAST(? AS JSONB), completed_at = ?
WHERE sync_id = ?;

-- name: set-node-state
UPDATE devices SET schema_version = ?, functions = CAST(? AS JSONB) WHERE device_id = ?;

-- name: history
SELECT * FROM sync_records WHERE device_id = ? ORDER BY seq DESC LIMIT ?;

-- name: set-region
UPDATE devices SET region = ? WHERE device_id = ?;

-- name: node
SELECT d.device_id, d.name, d.device_type, d.region, d.schema_version, d.functions, d.last_seen_at,
       EXISTS (SELECT 1 FROM sync_records r WHERE r.device_id = d.device_id AND r.status = 'pending'
                                               AND r.expires_at > ?) AS syncing
FROM devices d WHERE d.device_id = ?;
