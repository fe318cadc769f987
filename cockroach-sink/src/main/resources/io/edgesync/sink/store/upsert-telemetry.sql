INSERT INTO telemetry_data
    (device_id, id, sensor_id, "timestamp", data_type, value, unit, metadata, version, payload_hash, received_at, synced_at)
SELECT device_id, id, sensor_id, CAST(ts AS TIMESTAMPTZ), data_type, value, unit, CAST(metadata AS JSONB), version,
       payload_hash, CAST(received_at AS TIMESTAMPTZ), now()
FROM unnest(CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]),
            CAST(? AS FLOAT8[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS INT4[]), CAST(? AS INT8[]),
            CAST(? AS TEXT[]))
    AS batch (device_id, id, sensor_id, ts, data_type, value, unit, metadata, version, payload_hash, received_at)
