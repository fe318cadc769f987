-- One-time enrollment codes (CockroachDB and PostgreSQL).

-- name: insert
INSERT INTO enrollment_codes (code_id, device_id, code_hash, created_by, created_at, expires_at)
VALUES (?, ?, ?, ?, ?, ?);

-- name: by-hash
SELECT code_id, device_id, created_by, created_at, expires_at, used_at, used_from, revoked_at, revoked_by
FROM enrollment_codes WHERE code_hash = ?;

-- name: get
SELECT code_id, device_id, created_by, created_at, expires_at, used_at, used_from, revoked_at, revoked_by
FROM enrollment_codes WHERE code_id = ?;

-- name: list
SELECT code_id, device_id, created_by, created_at, expires_at, used_at, used_from, revoked_at, revoked_by
FROM enrollment_codes
WHERE (CAST(? AS TEXT) IS NULL OR device_id = ?)
  AND (CAST(? AS UUID) IS NULL OR code_id > ?)
ORDER BY code_id LIMIT ?;

-- name: consume
-- the code's one use: only an open code for this device id is consumed (concurrent uses: one wins)
UPDATE enrollment_codes SET used_at = ?, used_from = ?
WHERE code_id = ? AND device_id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?;

-- name: open-for-device
SELECT code_id FROM enrollment_codes
WHERE device_id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ? LIMIT 1;

-- name: revoke
UPDATE enrollment_codes SET revoked_at = ?, revoked_by = ? WHERE code_id = ? AND revoked_at IS NULL AND used_at IS NULL;

-- name: device-exists
SELECT 1 FROM devices WHERE device_id = ?;
