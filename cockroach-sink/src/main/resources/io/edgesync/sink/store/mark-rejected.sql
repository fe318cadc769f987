INSERT INTO sync_status (device_id, last_sync_status, last_error, status_at, updated_at)
VALUES (?, 'rejected', ?, ?, ?)
ON CONFLICT (device_id) DO UPDATE SET
    last_sync_status = excluded.last_sync_status,
    last_error = excluded.last_error,
    status_at = excluded.status_at
WHERE sync_status.status_at IS NULL OR sync_status.status_at <= excluded.status_at
