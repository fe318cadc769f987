UPDATE devices SET last_seen_at = ?
WHERE device_id = ? AND (last_seen_at IS NULL OR last_seen_at < ?)
