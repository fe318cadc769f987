CREATE TABLE IF NOT EXISTS telemetry_data (
    id             TEXT    NOT NULL PRIMARY KEY,
    device_id      TEXT    NOT NULL,
    sensor_id      TEXT    NOT NULL,
    timestamp      INTEGER NOT NULL,
    data_type      TEXT    NOT NULL,
    value          REAL    NOT NULL,
    unit           TEXT,
    metadata       TEXT,
    sync_status    TEXT    NOT NULL DEFAULT 'pending'
                   CHECK (sync_status IN ('pending', 'syncing', 'synced', 'failed')),
    sync_timestamp INTEGER,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL,
    last_error     TEXT
);
CREATE INDEX IF NOT EXISTS telemetry_data_status ON telemetry_data (sync_status);
CREATE TABLE IF NOT EXISTS device_config (
    config_key TEXT    NOT NULL PRIMARY KEY,
    value      TEXT,
    version    INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS command_queue (
    command_id   TEXT    NOT NULL PRIMARY KEY,
    command_type TEXT    NOT NULL,
    payload      TEXT,
    status       TEXT    NOT NULL,
    result       TEXT,
    received_at  INTEGER NOT NULL,
    executed_at  INTEGER,
    acked_at     INTEGER
);
CREATE TABLE IF NOT EXISTS sync_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    direction   TEXT    NOT NULL,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    sent        INTEGER NOT NULL DEFAULT 0,
    accepted    INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0,
    status      TEXT    NOT NULL,
    error       TEXT
);
CREATE TABLE IF NOT EXISTS agent_state (
    state_key TEXT NOT NULL PRIMARY KEY,
    value     TEXT
);
