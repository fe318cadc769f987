-- The security audit log (CockroachDB and PostgreSQL).

-- name: insert
INSERT INTO audit_events (event_id, at, kind, outcome, actor_kind, actor_id, credential_id, remote_address,
                          subject, device_id, error_code, detail)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS JSONB));

-- name: position
SELECT at FROM audit_events WHERE event_id = ?;

-- name: list
-- newest first; every filter is optional (NULL); the page starts after the event (at, event_id) given
SELECT event_id, at, kind, outcome, actor_kind, actor_id, credential_id, remote_address, subject, device_id,
       error_code, detail
FROM audit_events
WHERE (CAST(? AS TEXT) IS NULL OR device_id = ?)
  AND (CAST(? AS TEXT) IS NULL OR kind = ?)
  AND (CAST(? AS TEXT) IS NULL OR subject = ?)
  AND (CAST(? AS TIMESTAMPTZ) IS NULL OR at >= ?)
  AND (CAST(? AS TIMESTAMPTZ) IS NULL OR at < ? OR (at = ? AND event_id < ?))
ORDER BY at DESC, event_id DESC
LIMIT ?;
