-- Table sync (docs/database.md): the registry of synced tables, the two built-in synced tables and
-- sync_logs. Runs unchanged on CockroachDB and PostgreSQL.
--
-- A table is registered by a row of sync_tables plus its central table (host_identifier, the
-- defined columns, row_version, deliveries, synced_at; primary key (host_identifier, key column)).
-- columns is the JSON list [{"name": ..., "type": text|integer|real|boolean|timestamp}, ...].
-- The sink publishes every row to the compacted topic sync.table-registry, which the gateway reads.

CREATE TABLE IF NOT EXISTS sync_tables (
    table_name    TEXT        NOT NULL PRIMARY KEY,
    key_column    TEXT        NOT NULL,
    time_column   TEXT,
    columns       TEXT        NOT NULL,
    registered_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS desktop_activity_sessions (
    host_identifier  TEXT             NOT NULL,
    id               BIGINT           NOT NULL,
    start_time       DOUBLE PRECISION,
    start_time_iso   TEXT,
    end_time         DOUBLE PRECISION,
    end_time_iso     TEXT,
    duration_seconds DOUBLE PRECISION,
    application      TEXT,
    window_title     TEXT,
    is_idle          BOOLEAN,
    project_name     TEXT,
    created_at       TEXT,
    row_version      BIGINT           NOT NULL,
    deliveries       BIGINT           NOT NULL DEFAULT 1,
    synced_at        TIMESTAMPTZ      NOT NULL DEFAULT now(),
    PRIMARY KEY (host_identifier, id)
);

CREATE INDEX IF NOT EXISTS desktop_activity_sessions_host_time ON desktop_activity_sessions (host_identifier, start_time);

CREATE TABLE IF NOT EXISTS file_change_events (
    host_identifier  TEXT             NOT NULL,
    id               BIGINT           NOT NULL,
    event_time       DOUBLE PRECISION,
    event_time_iso   TEXT,
    event_type       TEXT,
    file_path        TEXT,
    relative_path    TEXT,
    file_name        TEXT,
    file_extension   TEXT,
    file_size        BIGINT,
    is_symlink       BOOLEAN,
    monitored_root   TEXT,
    project_name     TEXT,
    created_at       TEXT,
    row_version      BIGINT           NOT NULL,
    deliveries       BIGINT           NOT NULL DEFAULT 1,
    synced_at        TIMESTAMPTZ      NOT NULL DEFAULT now(),
    PRIMARY KEY (host_identifier, id)
);

CREATE INDEX IF NOT EXISTS file_change_events_host_time ON file_change_events (host_identifier, event_time);
CREATE INDEX IF NOT EXISTS file_change_events_path ON file_change_events (file_path);

CREATE TABLE IF NOT EXISTS sync_logs (
    host_identifier   TEXT        NOT NULL,
    id                TEXT        NOT NULL,
    sync_started_at   TIMESTAMPTZ,
    sync_completed_at TIMESTAMPTZ,
    table_name        TEXT,
    records_synced    BIGINT,
    records_failed    BIGINT,
    status            TEXT CHECK (status IN ('success', 'partial_success', 'failed')),
    error_message     TEXT,
    row_version       BIGINT      NOT NULL,
    deliveries        BIGINT      NOT NULL DEFAULT 1,
    synced_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (host_identifier, id)
);

CREATE INDEX IF NOT EXISTS idx_sync_logs_started_at ON sync_logs (sync_started_at DESC);
CREATE INDEX IF NOT EXISTS idx_sync_logs_table_name ON sync_logs (table_name, sync_started_at DESC);
CREATE INDEX IF NOT EXISTS idx_sync_logs_status ON sync_logs (status);
CREATE INDEX IF NOT EXISTS idx_sync_logs_host ON sync_logs (host_identifier, sync_started_at DESC);

INSERT INTO sync_tables (table_name, key_column, time_column, columns) VALUES
('desktop_activity_sessions', 'id', 'start_time', '[{"name":"id","type":"integer"},{"name":"start_time","type":"real"},{"name":"start_time_iso","type":"text"},{"name":"end_time","type":"real"},{"name":"end_time_iso","type":"text"},{"name":"duration_seconds","type":"real"},{"name":"application","type":"text"},{"name":"window_title","type":"text"},{"name":"is_idle","type":"boolean"},{"name":"project_name","type":"text"},{"name":"created_at","type":"text"}]'),
('file_change_events', 'id', 'event_time', '[{"name":"id","type":"integer"},{"name":"event_time","type":"real"},{"name":"event_time_iso","type":"text"},{"name":"event_type","type":"text"},{"name":"file_path","type":"text"},{"name":"relative_path","type":"text"},{"name":"file_name","type":"text"},{"name":"file_extension","type":"text"},{"name":"file_size","type":"integer"},{"name":"is_symlink","type":"boolean"},{"name":"monitored_root","type":"text"},{"name":"project_name","type":"text"},{"name":"created_at","type":"text"}]'),
('sync_logs', 'id', 'sync_started_at', '[{"name":"id","type":"text"},{"name":"sync_started_at","type":"timestamp"},{"name":"sync_completed_at","type":"timestamp"},{"name":"table_name","type":"text"},{"name":"records_synced","type":"integer"},{"name":"records_failed","type":"integer"},{"name":"status","type":"text"},{"name":"error_message","type":"text"}]')
ON CONFLICT (table_name) DO NOTHING;
