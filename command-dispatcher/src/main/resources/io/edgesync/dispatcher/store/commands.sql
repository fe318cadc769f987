-- Command statements of the command dispatcher (CockroachDB and PostgreSQL).
-- seq numbers each device's commands in creation order (devices.command_seq).

-- name: next-seq
UPDATE devices SET command_seq = command_seq + 1 WHERE device_id = ? RETURNING command_seq;

-- name: insert-command
INSERT INTO commands (command_id, device_id, command_type, payload, status, created_at, expires_at, seq, updated_at)
VALUES (?, ?, ?, CAST(? AS JSONB), 'pending', ?, ?, ?, ?);

-- name: get-command
SELECT * FROM commands WHERE command_id = ?;

-- name: lock-command
SELECT * FROM commands WHERE command_id = ? FOR UPDATE;

-- name: list-commands
SELECT * FROM commands
WHERE device_id = ? AND (CAST(? AS TEXT) IS NULL OR status = CAST(? AS TEXT))
ORDER BY seq
LIMIT ?;

-- name: deliverable
SELECT * FROM commands
WHERE device_id = ?
  AND (status = 'pending' OR (status = 'delivered' AND delivered_at <= ?))
  AND (expires_at IS NULL OR expires_at > ?)
ORDER BY seq
LIMIT ?
FOR UPDATE;

-- name: mark-delivered
UPDATE commands SET status = 'delivered', delivered_at = ?, delivery_count = delivery_count + 1, updated_at = ?
WHERE command_id = ?;

-- name: due-for-device
SELECT * FROM commands
WHERE device_id = ? AND status IN ('pending', 'delivered') AND expires_at <= ?
FOR UPDATE;

-- name: due
SELECT * FROM commands
WHERE status IN ('pending', 'delivered') AND expires_at <= ?
ORDER BY expires_at
LIMIT ?
FOR UPDATE;

-- name: finish
UPDATE commands SET status = ?, result = CAST(? AS JSONB), completed_at = ?, updated_at = ?
WHERE command_id = ?;
