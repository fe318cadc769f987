-- Device registry statements of the command dispatcher (CockroachDB and PostgreSQL).

-- name: insert-device
INSERT INTO devices (device_id, name, device_type, location, metadata, status, token_hash, token_expires_at,
                     token_version, token_status, created_at)
VALUES (?, ?, ?, ?, CAST(? AS JSONB), 'registered', ?, ?, 1, 'active', ?)
ON CONFLICT (device_id) DO NOTHING;

-- name: token-state
SELECT token_hash, token_status, token_version FROM devices WHERE device_id = ?;

-- name: set-token
UPDATE devices SET token_hash = ?, token_expires_at = ?, token_version = ?, token_status = 'active'
WHERE device_id = ?;

-- name: revoke-token
UPDATE devices SET token_hash = NULL, token_status = 'revoked', token_version = ? WHERE device_id = ?;

-- name: heartbeat
UPDATE devices SET last_seen_at = ?, agent_version = COALESCE(?, agent_version),
                   reported_config_version = COALESCE(?, reported_config_version),
                   pending_records = COALESCE(?, pending_records), clock_skew_ms = ?, device_time = ?
WHERE device_id = ?;

-- name: heartbeat-sync-status
-- the device's own report: pending count always, outcome unless a later one (status_at) is stored;
-- updated_at (the sink's ordering of device.sync-stats) is not touched: a new row gets the epoch
INSERT INTO sync_status (device_id, pending_records_count, last_sync_status, last_error, status_at, updated_at)
VALUES (?, COALESCE(?, 0), ?, ?, ?, ?)
ON CONFLICT (device_id) DO UPDATE SET
    pending_records_count = COALESCE(?, sync_status.pending_records_count),
    last_sync_status = CASE WHEN excluded.last_sync_status IS NOT NULL
            AND (sync_status.status_at IS NULL OR sync_status.status_at <= excluded.status_at)
        THEN excluded.last_sync_status ELSE sync_status.last_sync_status END,
    last_error = CASE WHEN excluded.last_sync_status IS NOT NULL
            AND (sync_status.status_at IS NULL OR sync_status.status_at <= excluded.status_at)
        THEN excluded.last_error ELSE sync_status.last_error END,
    status_at = CASE WHEN excluded.last_sync_status IS NOT NULL
            AND (sync_status.status_at IS NULL OR sync_status.status_at <= excluded.status_at)
        THEN excluded.status_at ELSE sync_status.status_at END;

-- name: get-device
SELECT d.*, CASE WHEN d.last_seen_at IS NULL THEN 'registered'
                 WHEN d.last_seen_at < ? THEN 'offline' ELSE 'online' END AS presence
FROM devices d WHERE d.device_id = ?;

-- name: list-devices
SELECT * FROM (
    SELECT d.*, CASE WHEN d.last_seen_at IS NULL THEN 'registered'
                     WHEN d.last_seen_at < ? THEN 'offline' ELSE 'online' END AS presence
    FROM devices d WHERE d.device_id > ?
) s
WHERE CAST(? AS TEXT) IS NULL OR s.presence = CAST(? AS TEXT)
ORDER BY s.device_id
LIMIT ?;

-- name: exists
SELECT 1 FROM devices WHERE device_id = ?;

-- name: sync-status
SELECT d.device_id, d.last_seen_at, d.pending_records,
       CASE WHEN d.last_seen_at IS NULL THEN 'registered'
            WHEN d.last_seen_at < ? THEN 'offline' ELSE 'online' END AS presence,
       s.last_sync_at, s.last_sync_status, s.pending_records_count, s.total_synced_records, s.last_error
FROM devices d LEFT JOIN sync_status s ON s.device_id = d.device_id
WHERE d.device_id = ?;

-- name: lock-token-state
SELECT token_hash, token_status, token_version FROM devices WHERE device_id = ? FOR UPDATE;
