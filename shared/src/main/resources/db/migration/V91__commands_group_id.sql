-- The group command a command was fanned out from (null for a command to one device).
ALTER TABLE commands ADD COLUMN IF NOT EXISTS group_id UUID;
