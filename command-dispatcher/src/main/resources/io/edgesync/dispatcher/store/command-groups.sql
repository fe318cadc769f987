-- Group command statements of the command dispatcher (CockroachDB and PostgreSQL).
-- A command that is open (pending, delivered) past its expires_at counts as expired.

-- name: insert-group
INSERT INTO command_groups (group_id, command_type, payload, selector_type, selector_value, device_count,
                            ttl_seconds, created_by, created_at)
VALUES (?, ?, CAST(? AS JSONB), ?, ?, ?, ?, ?, ?);

-- name: get-group
SELECT * FROM command_groups WHERE group_id = ?;

-- name: list-groups
SELECT * FROM command_groups ORDER BY created_at DESC, group_id LIMIT ?;

-- name: already-fanned-out
SELECT device_id FROM commands WHERE group_id = ? AND device_id = ANY(?);

-- name: next-seqs
UPDATE devices SET command_seq = command_seq + 1 WHERE device_id = ANY(?) RETURNING device_id, command_seq;

-- name: insert-command
INSERT INTO commands (command_id, device_id, command_type, payload, status, created_at, expires_at, seq, updated_at,
                      group_id)
VALUES (?, ?, ?, CAST(? AS JSONB), 'pending', ?, ?, ?, ?, ?);

-- name: counts
SELECT effective, count(*) AS n FROM (
    SELECT CASE WHEN status IN ('pending', 'delivered') AND expires_at <= ? THEN 'expired' ELSE status END
           AS effective
    FROM commands WHERE group_id = ?) AS g
GROUP BY effective;

-- name: list-commands
SELECT * FROM commands
WHERE group_id = ? AND device_id > ?
  AND (CAST(? AS TEXT) IS NULL
       OR CASE WHEN status IN ('pending', 'delivered') AND expires_at <= ? THEN 'expired' ELSE status END
          = CAST(? AS TEXT))
ORDER BY device_id
LIMIT ?;

-- name: open-commands
SELECT * FROM commands
WHERE group_id = ? AND status IN ('pending', 'delivered')
ORDER BY device_id
LIMIT ?
FOR UPDATE;

-- name: finish
UPDATE commands SET status = ?, completed_at = ?, updated_at = ? WHERE command_id = ?;

-- name: mark-cancelled
UPDATE command_groups SET cancelled_at = ? WHERE group_id = ? AND cancelled_at IS NULL;

-- name: lock-group
SELECT cancelled_at FROM command_groups WHERE group_id = ? FOR UPDATE;
