-- Desired device configuration (CockroachDB and PostgreSQL). devices.config_version counts changes;
-- each key keeps the version at which it last changed, so "changed after V" is one range read.

-- name: bump-version
UPDATE devices SET config_version = config_version + 1 WHERE device_id = ? RETURNING config_version;

-- name: upsert-entry
INSERT INTO device_configs (device_id, config_key, value, version, updated_at)
VALUES (?, ?, CAST(? AS JSONB), ?, ?)
ON CONFLICT (device_id, config_key)
DO UPDATE SET value = excluded.value, version = excluded.version, updated_at = excluded.updated_at;

-- name: changed-since
SELECT config_key, value, version, updated_at FROM device_configs
WHERE device_id = ? AND version > ?
ORDER BY version;

-- name: versions
SELECT config_version, reported_config_version FROM devices WHERE device_id = ?;
