INSERT INTO conflict_log
    (id, device_id, record_id, conflict_type, incoming, current_value, resolved, strategy, detected_at)
VALUES (?, ?, ?, ?, CAST(? AS JSONB), CAST(? AS JSONB), CAST(? AS JSONB), ?, ?)
ON CONFLICT (id) DO NOTHING
