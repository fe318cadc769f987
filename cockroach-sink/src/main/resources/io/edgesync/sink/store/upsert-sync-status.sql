INSERT INTO sync_status
    (device_id, last_sync_at, last_sync_status, last_record_at, last_received_at, total_synced_records,
     duplicates_dropped, conflicts, updated_at)
VALUES (?, ?, 'ok', ?, ?, ?, ?, ?, ?)
ON CONFLICT (device_id) DO UPDATE SET
    last_sync_at = excluded.last_sync_at,
    last_record_at = excluded.last_record_at,
    last_received_at = excluded.last_received_at,
    total_synced_records = excluded.total_synced_records,
    duplicates_dropped = excluded.duplicates_dropped,
    conflicts = excluded.conflicts,
    updated_at = excluded.updated_at
WHERE sync_status.updated_at < excluded.updated_at
