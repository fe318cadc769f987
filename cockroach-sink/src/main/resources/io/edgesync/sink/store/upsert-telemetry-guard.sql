ON CONFLICT (device_id, id) DO UPDATE SET
    sensor_id = excluded.sensor_id,
    "timestamp" = excluded."timestamp",
    data_type = excluded.data_type,
    value = excluded.value,
    unit = excluded.unit,
    metadata = excluded.metadata,
    version = excluded.version,
    payload_hash = excluded.payload_hash,
    received_at = excluded.received_at,
    synced_at = excluded.synced_at
WHERE (telemetry_data.version, telemetry_data."timestamp", telemetry_data.payload_hash)
    < (excluded.version, excluded."timestamp", excluded.payload_hash)
