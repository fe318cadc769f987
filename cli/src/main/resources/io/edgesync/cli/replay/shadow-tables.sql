-- A replay's shadow tables: the shape of telemetry_data and conflict_log (V1), under the replay's
-- name. {table} and {conflicts} are replaced by checked identifiers. Valid on CockroachDB and PostgreSQL.
CREATE TABLE IF NOT EXISTS {table} (
    device_id    TEXT             NOT NULL,
    id           TEXT             NOT NULL,
    sensor_id    TEXT             NOT NULL,
    "timestamp"  TIMESTAMPTZ      NOT NULL,
    data_type    TEXT             NOT NULL,
    value        DOUBLE PRECISION NOT NULL,
    unit         TEXT,
    metadata     JSONB,
    version      INT              NOT NULL DEFAULT 1,
    payload_hash BIGINT           NOT NULL DEFAULT 0,
    received_at  TIMESTAMPTZ,
    synced_at    TIMESTAMPTZ      NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, id)
);
CREATE TABLE IF NOT EXISTS {conflicts} (
    id             UUID        NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    device_id      TEXT        NOT NULL,
    record_id      TEXT        NOT NULL,
    conflict_type  TEXT        NOT NULL,
    incoming       JSONB       NOT NULL,
    current_value  JSONB,
    resolved       JSONB,
    strategy       TEXT        NOT NULL,
    detected_at    TIMESTAMPTZ NOT NULL,
    logged_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
