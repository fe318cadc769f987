-- Config changes after a version, per device.
CREATE INDEX IF NOT EXISTS device_configs_device_version ON device_configs (device_id, version);
