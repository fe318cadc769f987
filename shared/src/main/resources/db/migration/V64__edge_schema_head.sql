-- One row holding the latest registered edge schema version; registrations lock it, so versions
-- are assigned strictly increasing even with concurrent registrations on several instances.
CREATE TABLE IF NOT EXISTS edge_schema_head (
    id             INT    NOT NULL PRIMARY KEY,
    latest_version BIGINT NOT NULL
);
INSERT INTO edge_schema_head (id, latest_version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
