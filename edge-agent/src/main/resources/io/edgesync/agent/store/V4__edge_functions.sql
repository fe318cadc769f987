-- edge functions installed on this device (docs/edge-agent.md, "Edge functions"): the verified module
-- itself (its SHA-256 checked before the row is written), one version per name, applied to readings in
-- ascending fn_order (ties by name)
CREATE TABLE IF NOT EXISTS edge_functions (
    id           TEXT    NOT NULL PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,
    version      TEXT    NOT NULL,
    hash         TEXT    NOT NULL,
    fn_order     INTEGER NOT NULL,
    module       BLOB    NOT NULL,
    size_bytes   INTEGER NOT NULL,
    installed_at INTEGER NOT NULL
);
