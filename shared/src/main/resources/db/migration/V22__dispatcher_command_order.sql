-- Delivery and listing in creation order per device.
CREATE INDEX IF NOT EXISTS commands_device_seq ON commands (device_id, seq);
