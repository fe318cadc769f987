-- Operator and viewer API tokens (CockroachDB and PostgreSQL).

-- name: insert
INSERT INTO operator_tokens (token_id, name, role, issued_by, created_at, expires_at)
VALUES (?, ?, ?, ?, ?, ?);

-- name: state
SELECT role, revoked_at FROM operator_tokens WHERE token_id = ?;

-- name: list
SELECT token_id, name, role, issued_by, created_at, expires_at, revoked_at, revoked_by
FROM operator_tokens WHERE token_id > ? ORDER BY token_id LIMIT ?;

-- name: get
SELECT token_id, name, role, issued_by, created_at, expires_at, revoked_at, revoked_by
FROM operator_tokens WHERE token_id = ?;

-- name: revoke
UPDATE operator_tokens SET revoked_at = ?, revoked_by = ? WHERE token_id = ? AND revoked_at IS NULL;
