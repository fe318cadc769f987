-- One command per device and group (a resumed fan-out skips devices that have theirs); counts by group.
-- NULL group ids (single commands) never collide.
CREATE UNIQUE INDEX IF NOT EXISTS commands_group_device ON commands (group_id, device_id);
