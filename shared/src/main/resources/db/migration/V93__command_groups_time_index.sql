-- Listing groups newest first.
CREATE INDEX IF NOT EXISTS command_groups_created ON command_groups (created_at);
