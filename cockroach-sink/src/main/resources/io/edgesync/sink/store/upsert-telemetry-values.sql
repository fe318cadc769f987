INSERT INTO telemetry_data
    (device_id, id, sensor_id, "timestamp", data_type, value, unit, metadata, version, payload_hash, received_at, synced_at)
VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS JSONB), ?, ?, ?, now())
