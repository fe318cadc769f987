INSERT INTO telemetry_data
    (device_id, id, sensor_id, "timestamp", data_type, value, unit, metadata, version, payload_hash, received_at, synced_at)
SELECT device_id, id, sensor_id, CAST(ts AS TIMESTAMPTZ), data_type, value, unit, CAST(metadata AS JSONB), version,
       payload_hash, CAST(received_at AS TIMESTAMPTZ), now()
FROM unnest(CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]),
            CAST(? AS FLOAT8[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS INT4[]), CAST(? AS INT8[]),
            CAST(? AS TEXT[]))
    AS batch (device_id, id, sensor_id, ts, data_type, value, unit, metadata, version, payload_hash, received_at)
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
